"""Every S3 operation on a missing bucket must answer NoSuchBucket (404), as S3 does.

Usage: python3 eng/client-checks/missing_bucket_boto3.py http://127.0.0.1:4566
(boto3 from apt-get install python3-boto3 or pip). Exit code 1 lists the operations that answered otherwise.
Found PutBucketVersioning creating the bucket, and the connection desync after an early error (issue 14).
"""
import sys
import boto3, botocore
from botocore.config import Config
ep = sys.argv[1]
s3=boto3.client("s3", endpoint_url=ep, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1", config=Config(s3={"addressing_style":"path"}, retries={"max_attempts":1}))
B="missing-bkt"
ops = {
 "head_bucket": dict(Bucket=B), "get_bucket_location": dict(Bucket=B), "get_bucket_versioning": dict(Bucket=B),
 "list_objects": dict(Bucket=B), "list_objects_v2": dict(Bucket=B), "list_object_versions": dict(Bucket=B),
 "list_multipart_uploads": dict(Bucket=B), "delete_bucket": dict(Bucket=B),
 "get_bucket_acl": dict(Bucket=B), "get_bucket_policy": dict(Bucket=B), "get_bucket_tagging": dict(Bucket=B),
 "get_bucket_cors": dict(Bucket=B), "get_bucket_encryption": dict(Bucket=B), "get_bucket_lifecycle_configuration": dict(Bucket=B),
 "get_bucket_website": dict(Bucket=B), "get_bucket_logging": dict(Bucket=B), "get_bucket_notification_configuration": dict(Bucket=B),
 "get_public_access_block": dict(Bucket=B), "get_bucket_ownership_controls": dict(Bucket=B), "get_bucket_policy_status": dict(Bucket=B),
 "get_bucket_request_payment": dict(Bucket=B), "get_bucket_accelerate_configuration": dict(Bucket=B), "get_object_lock_configuration": dict(Bucket=B),
 "put_bucket_tagging": dict(Bucket=B, Tagging={"TagSet":[{"Key":"a","Value":"b"}]}), "put_bucket_versioning": dict(Bucket=B, VersioningConfiguration={"Status":"Enabled"}),
 "put_bucket_policy": dict(Bucket=B, Policy="{}"), "delete_bucket_policy": dict(Bucket=B), "delete_bucket_tagging": dict(Bucket=B), "delete_bucket_cors": dict(Bucket=B),
 "put_object": dict(Bucket=B, Key="k", Body=b"x"), "get_object": dict(Bucket=B, Key="k"), "head_object": dict(Bucket=B, Key="k"),
 "delete_object": dict(Bucket=B, Key="k"), "delete_objects": dict(Bucket=B, Delete={"Objects":[{"Key":"k"}]}),
 "copy_object": dict(Bucket=B, Key="k", CopySource="other/k"), "create_multipart_upload": dict(Bucket=B, Key="k"),
 "upload_part": dict(Bucket=B, Key="k", UploadId="u", PartNumber=1, Body=b"x"), "complete_multipart_upload": dict(Bucket=B, Key="k", UploadId="u", MultipartUpload={"Parts":[{"PartNumber":1,"ETag":"e"}]}),
 "abort_multipart_upload": dict(Bucket=B, Key="k", UploadId="u"), "list_parts": dict(Bucket=B, Key="k", UploadId="u"),
 "get_object_acl": dict(Bucket=B, Key="k"), "get_object_tagging": dict(Bucket=B, Key="k"), "put_object_tagging": dict(Bucket=B, Key="k", Tagging={"TagSet":[]}),
 "get_object_attributes": dict(Bucket=B, Key="k", ObjectAttributes=["ETag"]), "put_object_acl": dict(Bucket=B, Key="k", ACL="private"),
 "get_object_retention": dict(Bucket=B, Key="k"), "get_object_legal_hold": dict(Bucket=B, Key="k"), "restore_object": dict(Bucket=B, Key="k"),
 "put_bucket_acl": dict(Bucket=B, ACL="private"), "put_bucket_cors": dict(Bucket=B, CORSConfiguration={"CORSRules":[{"AllowedMethods":["GET"],"AllowedOrigins":["*"]}]}),
 "put_bucket_encryption": dict(Bucket=B, ServerSideEncryptionConfiguration={"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}),
 "put_public_access_block": dict(Bucket=B, PublicAccessBlockConfiguration={"BlockPublicAcls":True}),
 "put_bucket_lifecycle_configuration": dict(Bucket=B, LifecycleConfiguration={"Rules":[{"ID":"a","Status":"Enabled","Filter":{"Prefix":""},"Expiration":{"Days":1}}]}),
 "upload_part_copy": dict(Bucket=B, Key="k", UploadId="u", PartNumber=1, CopySource="other/k"),
}
bad=[]
for op, kw in ops.items():
    try:
        getattr(s3, op)(**kw); code="OK(200)"; status=200
    except botocore.exceptions.ClientError as e:
        code=e.response["Error"].get("Code"); status=e.response["ResponseMetadata"]["HTTPStatusCode"]
    except Exception as e:
        code="EXC "+type(e).__name__+" "+str(e)[:80]; status=0
    ok = (code in ("NoSuchBucket",) or (op=="head_bucket" and status==404) or (op in("head_object",) and status==404))
    if not ok: bad.append((op, status, code))
print("checked", len(ops)); [print("WRONG", *b) for b in bad]
sys.exit(1 if bad else 0)
