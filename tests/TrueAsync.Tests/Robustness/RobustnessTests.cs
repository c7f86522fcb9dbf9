using System;
using System.Linq;
using System.Threading.Tasks;
using TrueAsync.Tests.Infrastructure;
using Xunit;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// Every shipped analyzer and fixer over every rule test input, every sample and a generated project
/// of realistic data-access code, at the default configuration (latest C#, net8.0 with the data
/// libraries). One run, shared by the facts below; each fact asserts one promise.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly Lazy<Task<RobustnessReport>> DefaultRun = new(async () =>
    {
        var report = new RobustnessReport();
        var engine = new RobustnessEngine(RulesUnderTest.Shipped(), report);
        var inputs = RobustnessCorpus.All(RobustnessBudget.GeneratedFiles, RobustnessBudget.Seed);
        await RobustnessEngine.ForEachAsync(inputs, RobustnessBudget.Parallelism, (input, ct) => engine.CheckFixesAsync(input, RobustnessConfiguration.Default, ct)).ConfigureAwait(false);
        return report;
    });

    [Fact]
    public void EveryRuleTestFile_YieldsInputs()
    {
        var silent = RobustnessCorpus.RuleTests.Files.Where(f => f.CallsAVerifier && f.Inputs == 0).Select(f => f.Path).ToArray();
        Assert.True(silent.Length == 0, "No C# input harvested from: " + string.Join(", ", silent));
    }

    [Fact]
    public async Task AllInputs_NoAnalyzerOrFixerCrashes()
    {
        var report = await DefaultRun.Value;
        Assert.True(report.Inputs > 0, "no input was checked");
        Assert.True(report.Count(FailureKind.Crash) == 0 && report.Count(FailureKind.Hang) == 0, report.ToString());
    }

    [Fact]
    public async Task AllFixes_CompileWithoutNewErrors()
    {
        var report = await DefaultRun.Value;
        Assert.True(report.Count(FailureKind.CompileFailure) == 0, report.ToString());
    }

    [Fact]
    public async Task FixedSites_AreNotReportedAgain()
    {
        var report = await DefaultRun.Value;
        Assert.True(report.Count(FailureKind.StillReported) == 0, report.ToString());
    }

    [Fact]
    public async Task SecondFixAll_FindsNothingMoreToFix()
    {
        var report = await DefaultRun.Value;
        Assert.True(report.Count(FailureKind.FixAllNotIdempotent) == 0, report.ToString());
    }

    [Fact]
    public async Task EveryCallSite_GetsAtMostOneDiagnostic()
    {
        var report = await DefaultRun.Value;
        Assert.True(report.Count(FailureKind.TwoVoices) == 0, report.ToString());
    }

    [Fact]
    public async Task EveryClassifiedSite_GetsExactlyOneDiagnostic()
    {
        var report = await DefaultRun.Value;
        Assert.True(report.Count(FailureKind.NoVoice) == 0, report.ToString());
    }

    [Fact]
    public async Task EveryOfferedFix_ChangesTheCode()
    {
        var report = await DefaultRun.Value;
        Assert.True(report.Count(FailureKind.NoChange) == 0, report.ToString());
    }

    [Fact]
    public async Task ShippedRules_FindSomethingInTheInputs()
    {
        var report = await DefaultRun.Value;
        if (AnalyzerCatalog.AnalyzerTypes.Count > 0)
        {
            Assert.True(report.Diagnostics > 0, "The shipped analyzers report nothing on any input: " + report.Figures());
        }
    }

    [Fact]
    public async Task MutatedInputs_NoAnalyzerOrFixerCrashes()
    {
        var report = new RobustnessReport();
        var engine = new RobustnessEngine(RulesUnderTest.Shipped(), report);
        var inputs = RobustnessCorpus.All(RobustnessBudget.SmallGeneratedFiles, RobustnessBudget.Seed);
        await engine.CheckMutationsAsync(inputs, RobustnessBudget.Mutations, RobustnessBudget.Seed, RobustnessConfiguration.Default, RobustnessBudget.Parallelism);

        // A short input has fewer distinct mutations than its quota; most of the budget is still spent.
        Assert.True(report.Mutations >= RobustnessBudget.Mutations * 9 / 10, $"only {report.Mutations} mutations tried");
        Assert.True(report.TotalFailures == 0, report.ToString());
    }
}
