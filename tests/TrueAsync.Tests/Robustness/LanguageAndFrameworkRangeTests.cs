using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// Fixes must compile at every language version and framework users have: no <c>await using</c> or
/// <c>await foreach</c> at C# 7.3, no API that netstandard2.0 lacks. Every pair other than the default
/// checks a slice of the rule test inputs (see <see cref="RobustnessBudget.RangeSlices"/>), the samples and,
/// where the data libraries are referenced at C# 8 or later, a small generated project. Every check but one
/// voice counts here (one voice is asserted at the default configuration).
/// </summary>
public sealed class LanguageAndFrameworkRangeTests
{
    public static IEnumerable<object[]> Pairs()
        => RobustnessConfiguration.FullMatrix()
            .Where(c => c != RobustnessConfiguration.Default)
            .Select(c => new object[] { c.LanguageVersion.ToDisplayString(), c.References.Name });

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Fixes_CompileAtEveryLanguageVersionAndFramework(string languageVersion, string referenceSet)
    {
        Assert.True(LanguageVersionFacts.TryParse(languageVersion, out var version));
        var configuration = new RobustnessConfiguration(version, ReferenceSet.All.Single(r => r.Name == referenceSet));
        var index = RobustnessConfiguration.FullMatrix().ToList().IndexOf(configuration);
        var inputs = RobustnessCorpus.RuleTests.Inputs
            .Where((_, i) => i % RobustnessBudget.RangeSlices == index % RobustnessBudget.RangeSlices)
            .Concat(RobustnessCorpus.Samples)
            .ToList();
        if (configuration.References == ReferenceSet.Net80WithDataLibraries && version >= LanguageVersion.CSharp8)
        {
            inputs.Add(RealisticProjectGenerator.Generate(RobustnessBudget.SmallGeneratedFiles, RobustnessBudget.Seed + index));
        }

        var report = new RobustnessReport();
        var engine = new RobustnessEngine(RulesUnderTest.Shipped(), report);
        await RobustnessEngine.ForEachAsync(inputs, RobustnessBudget.Parallelism, (input, ct) => engine.CheckFixesAsync(input, configuration, ct));

        // One voice is the analyzers' business and is asserted once, at the default configuration (RobustnessTests).
        Assert.True(report.TotalFailures - report.Count(FailureKind.TwoVoices) - report.Count(FailureKind.NoVoice) == 0, configuration + ":" + System.Environment.NewLine + report);
    }
}
