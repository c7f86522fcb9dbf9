using System;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace TrueAsync.Tests.Infrastructure;

/// <summary>
/// The reference sets tests compile against: real reference assemblies, resolved by the testing
/// framework from the package feed. One static instance each, so a test run resolves them once.
/// </summary>
public static class TestReferences
{
    public static readonly ImmutableArray<PackageIdentity> DataLibraries = ImmutableArray.Create(
        new PackageIdentity("Microsoft.EntityFrameworkCore", "8.0.34"),
        new PackageIdentity("Microsoft.EntityFrameworkCore.Relational", "8.0.34"),
        new PackageIdentity("Microsoft.Data.Sqlite", "8.0.34"),
        new PackageIdentity("Dapper", "2.1.86"),
        new PackageIdentity("Npgsql", "8.0.9"),
        new PackageIdentity("StackExchange.Redis", "2.8.16"));

    /// <summary>net8.0 with EF Core 8, Microsoft.Data.Sqlite, Dapper, Npgsql and StackExchange.Redis.</summary>
    public static readonly ReferenceAssemblies Net80WithDataLibraries =
        ReferenceAssemblies.Net.Net80.AddPackages(DataLibraries);

    /// <summary>net8.0 alone.</summary>
    public static readonly ReferenceAssemblies Net80 = ReferenceAssemblies.Net.Net80;

    /// <summary>netstandard2.0: no File.ReadAllTextAsync, no DbTransaction.CommitAsync, no ValueTask.</summary>
    public static readonly ReferenceAssemblies NetStandard20 = ReferenceAssemblies.NetStandard.NetStandard20;

    private static readonly Lazy<Task> Download = new(async () =>
    {
        foreach (var set in new[] { Net80WithDataLibraries, Net80, NetStandard20 })
        {
            await set.ResolveAsync(LanguageNames.CSharp, default).ConfigureAwait(false);
        }
    });

    /// <summary>
    /// Downloads every reference set once, one after the other. Tests run in parallel, and on a
    /// clean machine parallel first downloads of the same package race inside the testing framework
    /// and can hand a test an incomplete reference set (seen here: "namespace 'Dapper' not found").
    /// </summary>
    public static Task EnsureDownloadedAsync() => Download.Value;
}
