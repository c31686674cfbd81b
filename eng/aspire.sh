#!/usr/bin/env bash
# Sourced by test.sh and run.sh: decides whether the configured NuGet feeds serve Aspire.
#
# After `aspire_probe`, these are set:
#   aspire_version    the Aspire version the repo pins (Directory.Packages.props)
#   aspire_available  true | false
#   aspire_reason     why not, when false (the NuGet error code and message)
#
# The probe restores Aspire.Hosting.Testing into an EMPTY package folder, so a copy cached on
# this machine (~/.nuget/packages) cannot pass for what the feeds serve.
aspire_probe() {
  local root probe out
  root=$(pwd)
  aspire_version=$(sed -n 's:.*<AspireVersion>\(.*\)</AspireVersion>.*:\1:p' "$root/Directory.Packages.props")
  probe=$(mktemp -d "${TMPDIR:-/tmp}/kumo-aspire-probe.XXXXXX")
  cat > "$probe/probe.csproj" <<PROBE
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><ImportDirectoryBuildProps>false</ImportDirectoryBuildProps><ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps></PropertyGroup>
  <ItemGroup><PackageReference Include="Aspire.Hosting.Testing" Version="$aspire_version" /></ItemGroup>
</Project>
PROBE
  aspire_available=false
  aspire_reason=
  if out=$(dotnet restore "$probe/probe.csproj" --configfile "$root/NuGet.config" --packages "$probe/packages" 2>&1); then
    aspire_available=true
  else
    aspire_reason=$(grep -oE 'NU1[0-9]{3}[^[]*' <<<"$out" | head -n 1 | sed 's/[[:space:]]*$//')
    [ -n "$aspire_reason" ] || aspire_reason=$(tail -n 1 <<<"$out")
  fi
  rm -rf "$probe"
}
