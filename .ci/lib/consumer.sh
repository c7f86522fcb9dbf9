# Sourced by the CI scripts that use the packed TrueAsync.Analyzers package the way a user does: a project
# outside the repository with the OrderDesk sample's sources and a PackageReference to the package.
#
#   write_consumer DIR PACKAGE_DIR PACKAGES_PATH [ITEMS]
#
# writes DIR/OrderDesk.csproj, DIR/nuget.config and a copy of the sample's sources. PACKAGES_PATH is the
# project's own package folder, so that a package of the same version from an earlier run is never reused;
# ITEMS is more MSBuild XML for the project's ItemGroup (another analyzer package, a PackageDownload).
# Needs $repo (the repository root).

central_version() {
    sed -n "s/.*<PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" "$repo/Directory.Packages.props"
}

write_consumer() {
    local dir=$1 package_dir=$2 packages_path=$3 items=${4:-}
    local package version ef_version dapper_version global_packages
    package=$(cd "$package_dir" && ls TrueAsync.Analyzers.*.nupkg)
    version=${package#TrueAsync.Analyzers.}
    version=${version%.nupkg}
    ef_version=$(central_version Microsoft.EntityFrameworkCore.Sqlite)
    dapper_version=$(central_version Dapper)
    if [[ -z "$ef_version" || -z "$dapper_version" ]]; then
        echo "cannot read the sample's package versions from Directory.Packages.props" >&2
        return 1
    fi
    mkdir -p "$dir"
    (cd "$repo/samples/OrderDesk" && find . -name '*.cs' -not -path './bin/*' -not -path './obj/*' -print0 |
        tar --null -T - -cf -) | tar -xf - -C "$dir"
    cat >"$dir/OrderDesk.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <RootNamespace>OrderDesk</RootNamespace>
    <LangVersion>latest</LangVersion>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <RestorePackagesPath>$packages_path</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="$ef_version" />
    <PackageReference Include="Dapper" Version="$dapper_version" />
    <PackageReference Include="TrueAsync.Analyzers" Version="$version" PrivateAssets="all" />
$items
  </ItemGroup>
</Project>
XML
    # The package folder first; the machine's package cache (a valid local feed) spares the network.
    global_packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
    cat >"$dir/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="trueasync" value="$package_dir" />
    <add key="cache" value="$global_packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
XML
}
