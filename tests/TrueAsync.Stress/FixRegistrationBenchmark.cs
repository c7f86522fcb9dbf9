using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using TrueAsync.Tests.Robustness;

namespace TrueAsync.Stress;

/// <summary>
/// How long the light bulb waits: for every TrueAsync diagnostic of the samples (and of a generated project), the time
/// each fixer of its ID takes in <c>RegisterCodeFixesAsync</c>, and the time to compute the first registered action's
/// changes (what applying it costs). Per diagnostic the slowest of the runs counts; the table sums them per fixer.
/// A sample of several projects (samples/Inventory) is one row per project, each compiled with the projects it
/// references as projects of the same workspace (<see cref="RobustnessCorpus.LoadSamples"/>).
/// </summary>
public static class FixRegistrationBenchmark
{
    public static async Task RunAsync(RulesUnderTest rules, int generatedFiles, int repeat, int seed, TextWriter output)
    {
        repeat = Math.Max(1, repeat);
        var inputs = RobustnessCorpus.Samples.ToList();
        inputs.Add(RealisticProjectGenerator.Generate(generatedFiles, seed));
        inputs.Add(OwnMethodsWithoutTwins(generatedFiles));
        output.WriteLine($"Fix registration benchmark: every TrueAsync diagnostic of the samples and of a generated project of {generatedFiles} files, slowest of {repeat} run(s) per diagnostic, {Environment.ProcessorCount} cores");
        output.WriteLine();
        var header = $"{"input",-34} {"fixer",-26} {"diags",6} {"register total ms",18} {"register max ms",16} {"apply total ms",15} {"apply max ms",13}";
        output.WriteLine(header);
        output.WriteLine(new string('-', header.Length));

        var warmedUp = false;
        foreach (var input in inputs)
        {
            using var project = await InputProject.CreateAsync(input, RobustnessConfiguration.Default, CancellationToken.None).ConfigureAwait(false);
            var diagnostics = (await InputProject.DiagnoseAsync(project.Project, rules, withErrors: false, CancellationToken.None).ConfigureAwait(false)).Findings;
            if (!warmedUp)
            {
                // JIT is paid once, not by the first input's figures.
                await MeasureAsync(rules, project.Project, diagnostics, 1).ConfigureAwait(false);
                warmedUp = true;
            }

            var measured = await MeasureAsync(rules, project.Project, diagnostics, repeat).ConfigureAwait(false);
            foreach (var group in measured.GroupBy(m => m.Fixer).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var register = group.Select(m => m.Register).ToArray();
                var apply = group.Where(m => m.Apply is not null).Select(m => m.Apply!.Value).ToArray();
                output.WriteLine(
                    $"{Shorten(input.Name),-34} {group.Key,-26} {register.Length,6} {register.Sum(),18:0.0} {register.Max(),16:0.0} {apply.Sum(),15:0.0} {(apply.Length == 0 ? 0 : apply.Max()),13:0.0}");
            }
        }

        output.WriteLine();
        output.WriteLine("register: RegisterCodeFixesAsync of one fixer for one diagnostic (what the light bulb waits for), slowest of the runs;");
        output.WriteLine("apply: the first registered action's GetOperationsAsync (what choosing it costs), slowest of the runs. A fresh");
        output.WriteLine("project per input; within it, semantic models stay cached as in the IDE. Wall-clock: run on a quiet machine.");
    }

    /// <summary>
    /// Repositories whose methods block through Dapper and through each other (a chain across files) and have no async
    /// twins, called from async services: the diagnostics the twin action serves, which the samples and the generated
    /// project (whose repositories have twins) hardly have; and a wait under a chain of synchronous callers, which
    /// make-async converts together.
    /// </summary>
    private static RobustnessInput OwnMethodsWithoutTwins(int files)
    {
        var documents = ImmutableArray.CreateBuilder<InputDocument>(files);
        for (var i = 0; i < files; i++)
        {
            var previous = i == 0 ? "Enumerable.Empty<Item>()" : $"new Repository{i - 1}(_conn).GetAll()";
            documents.Add(new InputDocument($"Repository{i}.cs", $$"""
                using System.Collections.Generic;
                using System.Data;
                using System.Linq;
                using System.Threading;
                using System.Threading.Tasks;
                using Dapper;

                namespace Twins;

                {{(i == 0 ? "public sealed class Item { public int Id { get; set; } }" : string.Empty)}}

                public sealed class Repository{{i}}
                {
                    private readonly IDbConnection _conn;

                    public Repository{{i}}(IDbConnection conn) => _conn = conn;

                    public IEnumerable<Item> GetAll() => _conn.Query<Item>("select * from items{{i}}");

                    public int CountWithPrevious()
                    {
                        var mine = GetAll().Count();
                        return mine + {{previous}}.Count();
                    }
                }

                public sealed class Service{{i}}
                {
                    private readonly Repository{{i}} _repository;

                    public Service{{i}}(Repository{{i}} repository) => _repository = repository;

                    public async Task<int> CountAsync(CancellationToken cancellationToken)
                    {
                        await Task.Yield();
                        return _repository.CountWithPrevious();
                    }

                    public async Task<int> MaxAsync()
                    {
                        await Task.Yield();
                        return _repository.GetAll().Max(item => item.Id);
                    }

                    // Sync over async under a chain of synchronous callers: make-async converts them with it.
                    private readonly Task<int> _pending = Task.FromResult({{i}});

                    public async Task<int> ReportAsync()
                    {
                        await Task.Yield();
                        return Total();
                    }

                    private int Total() => Sum() + 1;

                    private int Sum() => _pending.Result * 2;
                }
                """));
        }

        return new RobustnessInput($"own methods ({files} files)", InputOrigin.Generated, documents.MoveToImmutable());
    }

    private sealed record Measurement(string Fixer, double Register, double? Apply);

    private static async Task<List<Measurement>> MeasureAsync(RulesUnderTest rules, Project project, IReadOnlyList<Diagnostic> diagnostics, int repeat)
    {
        var result = new List<Measurement>();
        foreach (var diagnostic in diagnostics)
        {
            var document = diagnostic.Location.SourceTree is { } tree ? project.GetDocument(tree) : null;
            if (document is null)
            {
                continue;
            }

            foreach (var fixer in rules.FixersFor(diagnostic.Id))
            {
                double register = 0;
                double? apply = null;
                for (var i = 0; i < repeat; i++)
                {
                    var clock = Stopwatch.StartNew();
                    var registered = await FixDriver.RegisterAsync(fixer, document, diagnostic, CancellationToken.None).ConfigureAwait(false);
                    register = Math.Max(register, clock.Elapsed.TotalMilliseconds);
                    if (registered.Count > 0)
                    {
                        clock.Restart();
                        await registered[0].GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
                        apply = Math.Max(apply ?? 0, clock.Elapsed.TotalMilliseconds);
                    }
                }

                result.Add(new Measurement(fixer.GetType().Name, register, apply));
            }
        }

        return result;
    }

    private static string Shorten(string name) => name.Length <= 34 ? name : name.Substring(0, 31) + "...";
}
