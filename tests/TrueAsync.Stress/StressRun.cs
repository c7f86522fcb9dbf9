using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using TrueAsync.Tests.Robustness;

namespace TrueAsync.Stress;

/// <summary>
/// The long robustness run: every input at every language version and reference set (fix checks,
/// one voice, no crash), then <c>mutations</c> mutated copies checked for crashes.
/// </summary>
public static class StressRun
{
    public static async Task<RobustnessReport> RunAsync(RulesUnderTest rules, int mutations, int seed, int generatedFiles, int parallelism, bool fullMatrix, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var ruleTests = RobustnessCorpus.RuleTests;
        var samples = RobustnessCorpus.Samples;
        var generated = RealisticProjectGenerator.Generate(generatedFiles, seed);
        output.WriteLine($"TrueAsync robustness run: seed {seed}, {mutations} mutations, parallelism {parallelism}");
        output.WriteLine($"analyzers: {string.Join(", ", rules.Analyzers.Select(a => a.GetType().Name))}");
        output.WriteLine($"fixers:    {string.Join(", ", rules.Fixers.Select(f => f.GetType().Name))}");
        output.WriteLine($"inputs:    {ruleTests.Inputs.Length} from {ruleTests.Files.Length} rule test files, {samples.Length} samples, 1 generated project of {generated.Documents.Length} files ({generated.LineCount:N0} lines)");
        output.WriteLine();

        var report = new RobustnessReport();
        var engine = new RobustnessEngine(rules, report);
        foreach (var configuration in fullMatrix ? RobustnessConfiguration.FullMatrix() : new[] { RobustnessConfiguration.Default })
        {
            var started = clock.Elapsed;
            var before = (report.Diagnostics, report.FixesApplied, report.TotalFailures);
            var inputs = ruleTests.Inputs.Concat(samples).ToList();
            if (configuration.References == ReferenceSet.Net80WithDataLibraries && configuration.LanguageVersion >= LanguageVersion.CSharp8)
            {
                inputs.Add(generated);
            }

            await RobustnessEngine.ForEachAsync(inputs, parallelism, (input, ct) => engine.CheckFixesAsync(input, configuration, ct)).ConfigureAwait(false);
            output.WriteLine($"{configuration,-32} {inputs.Count,5} inputs {report.Diagnostics - before.Diagnostics,6} diagnostics {report.FixesApplied - before.FixesApplied,6} fixes applied {report.TotalFailures - before.TotalFailures,4} failures  {(clock.Elapsed - started).TotalSeconds,6:0.0} s");
        }

        var mutationStart = clock.Elapsed;
        var mutationInputs = ruleTests.Inputs.Concat(samples).Append(RealisticProjectGenerator.Generate(RobustnessBudget.SmallGeneratedFiles, seed)).ToArray();
        await engine.CheckMutationsAsync(mutationInputs, mutations, seed, RobustnessConfiguration.Default, parallelism).ConfigureAwait(false);
        output.WriteLine($"{"mutations",-32} {report.Mutations,5} tried {(clock.Elapsed - mutationStart).TotalSeconds,46:0.0} s");
        output.WriteLine();
        output.WriteLine(report.Figures());
        output.WriteLine($"elapsed {clock.Elapsed.TotalSeconds:0.0} s");
        if (report.TotalFailures > 0)
        {
            output.WriteLine();
            output.WriteLine("First failures (reproduce with the same --seed):");
            output.WriteLine(report.Details());
        }

        return report;
    }
}
