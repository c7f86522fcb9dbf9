using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;

namespace TrueAsync.Tests.Robustness;

/// <summary>Every input of the suite: the rule tests' sources, the samples, and a generated project.</summary>
public static class RobustnessCorpus
{
    private static readonly Lazy<HarvestResult> LazyRuleTests = new(() => TestInputHarvester.Harvest(RepositoryLayout.RuleTestsDirectory));
    private static readonly Lazy<ImmutableArray<RobustnessInput>> LazySamples = new(() => LoadSamples(RepositoryLayout.SamplesDirectory));

    public static HarvestResult RuleTests => LazyRuleTests.Value;

    public static ImmutableArray<RobustnessInput> Samples => LazySamples.Value;

    /// <summary>The rule tests' sources, the samples, and a generated project of <paramref name="generatedFiles"/> files.</summary>
    public static IReadOnlyList<RobustnessInput> All(int generatedFiles, int seed)
    {
        var inputs = new List<RobustnessInput>(RuleTests.Inputs);
        inputs.AddRange(Samples);
        if (generatedFiles > 0)
        {
            inputs.Add(RealisticProjectGenerator.Generate(generatedFiles, seed));
        }

        return inputs;
    }

    /// <summary>
    /// One input per sample project: the C# files under each folder that holds a .csproj (bin and obj
    /// left out), compiled together the way the sample builds.
    /// </summary>
    public static ImmutableArray<RobustnessInput> LoadSamples(string samplesDirectory)
    {
        if (!Directory.Exists(samplesDirectory))
        {
            return ImmutableArray<RobustnessInput>.Empty;
        }

        var projects = Directory.GetFiles(samplesDirectory, "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
        var inputs = ImmutableArray.CreateBuilder<RobustnessInput>();
        foreach (var project in projects)
        {
            var files = Directory.GetFiles(project, "*.cs", SearchOption.AllDirectories)
                .Where(f => !IsBuildOutput(project, f) && OwningProject(f, projects) == project)
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new InputDocument(Path.GetRelativePath(project, f).Replace('\\', '/'), File.ReadAllText(f)))
                .ToImmutableArray();
            if (files.Length > 0)
            {
                var name = "samples/" + Path.GetRelativePath(samplesDirectory, project).Replace('\\', '/');
                inputs.Add(new RobustnessInput(name, InputOrigin.Sample, files));
            }
        }

        return inputs.ToImmutable();
    }

    private static bool IsBuildOutput(string project, string file)
    {
        var parts = Path.GetRelativePath(project, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Any(p => p is "bin" or "obj");
    }

    /// <summary>The innermost sample project folder that contains <paramref name="file"/>.</summary>
    private static string? OwningProject(string file, IEnumerable<string> projects)
        => projects.Where(p => file.StartsWith(p + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderByDescending(p => p.Length)
            .FirstOrDefault();
}
