#!/usr/bin/env bash
# Installs the AWS clients that are not the .NET SDK, for tests/Kumo.Embedded.Tests/Clients/CrossSdkClientTests.cs:
#   the JS SDK v3 (npm ci here, versions pinned in package.json / package-lock.json),
#   boto3 and the AWS CLI (Debian's python3-boto3 and awscli, when neither python3 nor /usr/bin/python3 imports boto3
#   or aws is missing, and apt-get can be run as root).
# It never fails the test run: a client it could not install makes its tests skip, naming what is missing.
# Usage: eng/client-checks/install.sh   (test.sh runs it in the background while the solution builds)
set -u
cd "$(dirname "$0")"

if ! command -v npm >/dev/null 2>&1; then
  echo "client-checks: npm not found; the JS SDK v3 checks will skip"
elif [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "client-checks: JS SDK v3 already installed"
elif npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; then
  echo "client-checks: JS SDK v3 installed"
else
  echo "client-checks: npm ci failed; the JS SDK v3 checks will skip"
fi

has_boto3=false
for python in python3 /usr/bin/python3; do
  if command -v "$python" >/dev/null 2>&1 && "$python" -c 'import boto3' >/dev/null 2>&1; then has_boto3=true; fi
done
has_cli=false
if command -v aws >/dev/null 2>&1; then has_cli=true; fi
if [ "$has_boto3" = true ] && [ "$has_cli" = true ]; then
  echo "client-checks: boto3 and the AWS CLI already installed"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-boto3 awscli >/dev/null; then
    echo "client-checks: boto3 and the AWS CLI installed from Debian"
  else
    echo "client-checks: apt-get could not install python3-boto3 awscli; the boto3 and AWS CLI checks will skip"
  fi
else
  echo "client-checks: boto3 or the AWS CLI is missing and apt-get cannot run as root here; those checks will skip"
fi
