using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace TrueAsync.Tests.Infrastructure;

/// <summary>
/// The reference sets tests compile against: real reference assemblies, resolved by the testing
/// framework. The packages come from one list, <c>tests/TrueAsync.Tests/ReferencePackages.props</c>,
/// which the project TrueAsync.ReferencePackages restores into the NuGet packages folder before any test
/// runs, and which is embedded in this assembly (resource <see cref="PackageListResource"/>).
/// </summary>
public static class TestReferences
{
    /// <summary>The name of the embedded copy of ReferencePackages.props.</summary>
    public const string PackageListResource = "TrueAsync.Tests.ReferencePackages.props";

    private static readonly XDocument PackageList = LoadPackageList();

    /// <summary>EF Core 8, Microsoft.Data.Sqlite, Dapper, Npgsql, StackExchange.Redis: every <c>TestReferencePackage</c> without a <c>Set</c>.</summary>
    public static readonly ImmutableArray<PackageIdentity> DataLibraries = ReadPackages("TestReferencePackage", set: null);

    /// <summary>
    /// The libraries of <c>Set="Other"</c>: MongoDB, Azure Blob Storage, Kafka, MailKit, MySqlConnector, SqlClient,
    /// which the analyzer knows by convention and its catalog only. A set of their own, so that the many
    /// tests compiled against <see cref="Net80WithDataLibraries"/> do not load their references.
    /// </summary>
    public static readonly ImmutableArray<PackageIdentity> OtherLibraries = ReadPackages("TestReferencePackage", set: "Other");

    /// <summary>The reference assembly packages that the list restores, for the check in <see cref="Verify"/>.</summary>
    public static readonly ImmutableArray<PackageIdentity> ReferenceAssemblyPackages = ReadPackages("TestReferenceAssemblyPackage", set: null);

    /// <summary>ASP.NET Core's targeting pack (<c>Set="AspNetCore"</c>), for the tests of minimal-API route handlers.</summary>
    public static readonly ImmutableArray<PackageIdentity> AspNetCore = ReadPackages("TestReferenceAssemblyPackage", set: "AspNetCore");

    /// <summary>net8.0 with the data libraries.</summary>
    public static readonly ReferenceAssemblies Net80WithDataLibraries =
        ReferenceAssemblies.Net.Net80.AddPackages(DataLibraries);

    /// <summary>net8.0 alone.</summary>
    public static readonly ReferenceAssemblies Net80 = ReferenceAssemblies.Net.Net80;

    /// <summary>netstandard2.0: no File.ReadAllTextAsync, no DbTransaction.CommitAsync, no ValueTask.</summary>
    public static readonly ReferenceAssemblies NetStandard20 = ReferenceAssemblies.NetStandard.NetStandard20;

    /// <summary>net8.0 with <see cref="OtherLibraries"/>.</summary>
    public static readonly ReferenceAssemblies Net80WithOtherLibraries =
        ReferenceAssemblies.Net.Net80.AddPackages(OtherLibraries);

    /// <summary>
    /// net8.0 with ASP.NET Core 8's reference assemblies (<see cref="AspNetCore"/>), used only by the tests that need them.
    /// The targeting pack has its assemblies under <c>ref/net8.0</c>, which the testing framework takes as a package's
    /// compile-time assets.
    /// </summary>
    public static readonly ReferenceAssemblies Net80WithAspNetCore =
        ReferenceAssemblies.Net.Net80.AddPackages(AspNetCore);

    public static ImmutableArray<ReferenceAssemblies> All { get; } = ImmutableArray.Create(Net80WithDataLibraries, Net80, NetStandard20, Net80WithOtherLibraries, Net80WithAspNetCore);

    private static readonly Lazy<Task> Resolution = new(async () =>
    {
        foreach (var set in All)
        {
            var references = await set.ResolveAsync(LanguageNames.CSharp, default).ConfigureAwait(false);
            Verify(set, references);
        }
    });

    /// <summary>
    /// Resolves every reference set once, one after the other, and checks that each is complete; every
    /// test waits for it before it compiles. The testing framework keeps the first resolution of a set
    /// for the rest of the process, so a set missing a package would fail every test that uses it with
    /// confusing compile errors: this fails them with one message that says which package is missing.
    /// </summary>
    public static Task EnsureResolvedAsync() => Resolution.Value;

    private static void Verify(ReferenceAssemblies set, ImmutableArray<MetadataReference> references)
    {
        if (set.ReferenceAssemblyPackage is { } referencePackage
            && !ReferenceAssemblyPackages.Any(p => SameIdentity(p, referencePackage)))
        {
            throw new InvalidOperationException(
                $"The testing framework asks for {referencePackage.Id} {referencePackage.Version}, which ReferencePackages.props "
                + "does not restore: add it as a TestReferenceAssemblyPackage, or the first run on a fresh machine downloads it itself.");
        }

        var paths = references.Select(r => (r.Display ?? string.Empty).Replace('\\', '/')).ToArray();
        var missing = set.Packages
            .Where(package => !paths.Any(path => ComesFrom(path, package)))
            .Select(package => $"{package.Id} {package.Version}")
            .ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"The reference set for {set.TargetFramework} resolved no assembly of {string.Join(", ", missing)}. "
                + "Restore TrueAsync.ReferencePackages (dotnet restore) so that the packages are in the NuGet packages folder.");
        }
    }

    /// <summary>
    /// A path inside the package's folder, in the NuGet packages folder (<c>npgsql/8.0.9/…</c>) or the testing
    /// framework's own (<c>Npgsql.8.0.9/…</c>). A package without assemblies of its own (Microsoft.Data.Sqlite)
    /// counts through the package that carries them, whose name it begins (Microsoft.Data.Sqlite.Core).
    /// </summary>
    private static bool ComesFrom(string path, PackageIdentity package)
        => path.IndexOf("/" + package.Id + "/" + package.Version + "/", StringComparison.OrdinalIgnoreCase) >= 0
            || path.IndexOf("/" + package.Id + ".", StringComparison.OrdinalIgnoreCase) >= 0;

    private static bool SameIdentity(PackageIdentity left, PackageIdentity right)
        => string.Equals(left.Id, right.Id, StringComparison.OrdinalIgnoreCase) && left.Version == right.Version;

    private static XDocument LoadPackageList()
    {
        using var stream = typeof(TestReferences).GetTypeInfo().Assembly.GetManifestResourceStream(PackageListResource)
            ?? throw new InvalidOperationException($"The resource {PackageListResource} is not embedded in {typeof(TestReferences).Assembly.GetName().Name}.");
        return XDocument.Load(stream);
    }

    private static ImmutableArray<PackageIdentity> ReadPackages(string itemName, string? set)
        => PackageList.Descendants(itemName)
            .Where(item => (string?)item.Attribute("Set") == set)
            .Select(item => new PackageIdentity(
                (string?)item.Attribute("Include") ?? throw new InvalidOperationException($"A {itemName} without Include."),
                (string?)item.Attribute("Version") ?? throw new InvalidOperationException($"{itemName} {(string?)item.Attribute("Include")} has no Version.")))
            .ToImmutableArray();
}
