using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Xml.Linq;

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
    /// left out), compiled together the way the sample builds, with the sample projects it references
    /// (<c>ProjectReference</c>, as in samples/Inventory) as projects of their own that it references.
    /// </summary>
    public static ImmutableArray<RobustnessInput> LoadSamples(string samplesDirectory)
    {
        if (!Directory.Exists(samplesDirectory))
        {
            return ImmutableArray<RobustnessInput>.Empty;
        }

        var projectFiles = Directory.GetFiles(samplesDirectory, "*.csproj", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(samplesDirectory, f))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        var projects = projectFiles.Select(Path.GetDirectoryName).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var own = new Dictionary<string, RobustnessInput>(StringComparer.Ordinal);
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
                own.Add(project, new RobustnessInput(name, InputOrigin.Sample, files));
            }
        }

        var withReferences = new Dictionary<string, RobustnessInput>(StringComparer.Ordinal);
        return projects.Where(own.ContainsKey).Select(project => WithReferences(project, own, withReferences, new HashSet<string>(StringComparer.Ordinal))).ToImmutableArray();
    }

    /// <summary>The input of <paramref name="project"/> with the inputs of the sample projects it references.</summary>
    private static RobustnessInput WithReferences(string project, Dictionary<string, RobustnessInput> own, Dictionary<string, RobustnessInput> done, HashSet<string> visiting)
    {
        if (done.TryGetValue(project, out var finished))
        {
            return finished;
        }

        if (!visiting.Add(project))
        {
            throw new InvalidOperationException("The sample projects reference each other in a cycle: " + project);
        }

        var references = SampleProjectReferences(project)
            .Where(own.ContainsKey)
            .Select(referenced => WithReferences(referenced, own, done, visiting))
            .ToImmutableArray();
        var input = own[project] with { References = references };
        done.Add(project, input);
        return input;
    }

    /// <summary>
    /// The folders of the projects a sample's project file references with <c>ProjectReference</c>. The analyzer
    /// projects it references (<c>OutputItemType="Analyzer"</c>) are not among the samples and drop out.
    /// </summary>
    private static IEnumerable<string> SampleProjectReferences(string project)
    {
        foreach (var projectFile in Directory.GetFiles(project, "*.csproj"))
        {
            foreach (var element in XDocument.Load(projectFile).Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
            {
                if (element.Attribute("Include")?.Value is { Length: > 0 } include
                    && Path.GetDirectoryName(Path.GetFullPath(Path.Combine(project, include.Replace('\\', Path.DirectorySeparatorChar)))) is { } folder)
                {
                    yield return folder;
                }
            }
        }
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
