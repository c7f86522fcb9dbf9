using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using TrueAsync.Tests.Infrastructure;

namespace TrueAsync.Tests.Robustness;

/// <summary>A named set of reference assemblies from <see cref="TestReferences"/>.</summary>
public sealed record ReferenceSet(string Name, ReferenceAssemblies Assemblies)
{
    public static readonly ReferenceSet Net80WithDataLibraries = new("net8.0+data", TestReferences.Net80WithDataLibraries);

    public static readonly ReferenceSet Net80 = new("net8.0", TestReferences.Net80);

    public static readonly ReferenceSet NetStandard20 = new("netstandard2.0", TestReferences.NetStandard20);

    public static ImmutableArray<ReferenceSet> All { get; } = ImmutableArray.Create(Net80WithDataLibraries, Net80, NetStandard20);

    public override string ToString() => Name;
}

/// <summary>The language version and framework an input is compiled with.</summary>
public sealed record RobustnessConfiguration(LanguageVersion LanguageVersion, ReferenceSet References)
{
    public static RobustnessConfiguration Default { get; } = new(LanguageVersion.Latest, ReferenceSet.Net80WithDataLibraries);

    public static ImmutableArray<LanguageVersion> LanguageVersions { get; } = ImmutableArray.Create(
        LanguageVersion.CSharp7_3, LanguageVersion.CSharp8, LanguageVersion.CSharp10, LanguageVersion.Latest);

    /// <summary>Every language version with every reference set.</summary>
    public static IEnumerable<RobustnessConfiguration> FullMatrix()
    {
        foreach (var references in ReferenceSet.All)
        {
            foreach (var version in LanguageVersions)
            {
                yield return new RobustnessConfiguration(version, references);
            }
        }
    }

    public override string ToString() => $"C# {LanguageVersion.ToDisplayString()} / {References.Name}";
}
