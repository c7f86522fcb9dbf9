using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TrueAsync.Tests.Infrastructure;
using TrueAsync.Tests.Robustness;

namespace TrueAsync.Stress;

/// <summary>
/// The speed budget (docs/architecture.md, "Speed"): analyzer time on the generated project at growing sizes, per analyzer, from the
/// compiler's own telemetry (<see cref="AnalyzerTelemetryInfo.ExecutionTime"/>), with CA1849 from the
/// .NET 8 SDK's NetAnalyzers on the same code for comparison. As in a build, TrueAsync's analyzers and CA1849 run in one
/// analysis of the compilation, so both see the same machine at the same moment. A repetition is a pair of runs, one
/// with TrueAsync's analyzers first and one with CA1849 first (the first analyzer to touch a tree or a referenced type
/// pays what the driver and the compiler compute once), and a pair's figure is the mean of its two runs, so that
/// neither side pays the first place more often than the other. The heap is collected before each run, so that no run
/// pays for the garbage of the one before. Each figure is the median over the pairs; the ratio is the median of the
/// pairs' ratios (TrueAsync's time over CA1849's, both summed over the pair's two runs).
/// </summary>
public static class AnalyzerBenchmark
{
    private const string Ca1849 = "CA1849";

    /// <summary>The generated project's profiles: <c>realistic</c> (the robustness suite's mix, many findings) and <c>clean</c> (library-like, few findings).</summary>
    public static IReadOnlyDictionary<string, Func<int, int, RobustnessInput>> Profiles { get; } = new Dictionary<string, Func<int, int, RobustnessInput>>(StringComparer.Ordinal)
    {
        ["realistic"] = RealisticProjectGenerator.Generate,
        ["clean"] = CleanProjectGenerator.Generate,
    };

    public static async Task RunAsync(RulesUnderTest rules, IReadOnlyList<string> profiles, IReadOnlyList<int> sizes, int repeat, int seed, bool includeCa1849, TextWriter output)
    {
        var ca1849 = includeCa1849 ? LoadCa1849(output) : ImmutableArray<DiagnosticAnalyzer>.Empty;
        foreach (var profile in profiles)
        {
            if (!Profiles.TryGetValue(profile, out var generate))
            {
                throw new ArgumentException("unknown profile '" + profile + "' (known: " + string.Join(", ", Profiles.Keys) + ")");
            }

            await RunProfileAsync(rules, profile, generate, ca1849, sizes, repeat, seed, output).ConfigureAwait(false);
            output.WriteLine();
        }

        output.WriteLine("Analyzer times are execution times in milliseconds (AnalyzerTelemetryInfo.ExecutionTime), not compile time;");
        output.WriteLine("'compile ms' is the compiler's GetDiagnostics on the same code, for scale. Wall-clock based: run on a quiet machine.");
    }

    private static async Task RunProfileAsync(RulesUnderTest rules, string profile, Func<int, int, RobustnessInput> generate, ImmutableArray<DiagnosticAnalyzer> ca1849, IReadOnlyList<int> sizes, int repeat, int seed, TextWriter output)
    {
        repeat = Math.Max(1, repeat);
        var names = rules.Analyzers.Select(a => a.GetType().Name).ToArray();
        output.WriteLine($"Analyzer benchmark, profile '{profile}': generated projects of {string.Join(", ", sizes)} files, median of {repeat} pair(s) of runs (one in each order), seed {seed}, {Environment.ProcessorCount} cores, sequential analysis");
        output.WriteLine();
        var header = $"{"files",6} {"lines",8} {"compile ms",11} " + string.Join(" ", names.Select(n => $"{Shorten(n),14}")) + $" {"TrueAsync ms",13} {"ms/1k lines",12} {"diagnostics",12}"
            + (ca1849.IsEmpty ? string.Empty : $" {"CA1849 ms",10} {"ms/1k lines",12} {"CA1849 diags",13} {"TrueAsync/CA1849",17}");
        output.WriteLine(header);
        output.WriteLine(new string('-', header.Length));

        // A small warm-up so that the first size does not pay for JIT and reference loading.
        var warmUp = await CreateCompilationAsync(generate(20, seed), ca1849.IsEmpty).ConfigureAwait(false);
        await MeasurePairAsync(warmUp, rules.Analyzers, ca1849, trueAsyncFirst: true).ConfigureAwait(false);

        foreach (var size in sizes)
        {
            var project = generate(size, seed);
            var compilation = await CreateCompilationAsync(project, ca1849.IsEmpty).ConfigureAwait(false);
            var lines = project.LineCount;
            var compileTimes = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                // The compiler's own binding and checks of the same code, for scale.
                var clock = Stopwatch.StartNew();
                compilation.Clone().GetDiagnostics();
                compileTimes.Add(clock.Elapsed.TotalMilliseconds);
            }

            // The first analyzer to touch a tree pays what the driver computes once per tree (which symbols are generated
            // code, checked on the first diagnostic reported there), and the first to look up a referenced type pays for
            // loading it: each pair runs once in each order, so both sides pay the first place equally often.
            var runs = new List<Measurement>();
            for (var i = 0; i < repeat; i++)
            {
                runs.Add(await MeasurePairAsync(compilation, rules.Analyzers, ca1849, trueAsyncFirst: i % 2 == 0).ConfigureAwait(false));
            }

            var perAnalyzer = rules.Analyzers.Select(a => Median(runs.Select(r => r.Times[a]))).ToArray();
            var total = Median(runs.Select(r => Sum(r, rules.Analyzers)));
            var line = $"{size,6} {lines,8:N0} {Median(compileTimes),11:0} " + string.Join(" ", perAnalyzer.Select(t => $"{t,14:0.0}")) + $" {total,13:0.0} {total * 1000 / lines,12:0.000} {runs[0].Count(rules.Analyzers),12:N0}";
            if (!ca1849.IsEmpty)
            {
                var peer = Median(runs.Select(r => Sum(r, ca1849)));
                var ratio = Median(runs.Select(r => Sum(r, ca1849) is > 0 and var p ? Sum(r, rules.Analyzers) / p : double.NaN));
                line += $" {peer,10:0.0} {peer * 1000 / lines,12:0.000} {runs[0].Count(ca1849),13:N0} {ratio,17:0.00}";
            }

            output.WriteLine(line);
        }
    }

    internal sealed record Measurement(Dictionary<DiagnosticAnalyzer, double> Times, ImmutableArray<Diagnostic> Diagnostics)
    {
        /// <summary>A pair of runs in both orders: each analyzer's mean time; the diagnostics of the first run.</summary>
        public static Measurement Pair(Measurement first, Measurement second)
            => ReferenceEquals(first, second)
                ? first
                : new(first.Times.ToDictionary(p => p.Key, p => (p.Value + second.Times[p.Key]) / 2), first.Diagnostics);

        /// <summary>The diagnostics of the rules <paramref name="analyzers"/> support.</summary>
        public int Count(ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var ids = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            return Diagnostics.Count(d => ids.Contains(d.Id));
        }
    }

    internal static double Sum(Measurement run, ImmutableArray<DiagnosticAnalyzer> analyzers) => analyzers.Sum(a => run.Times[a]);

    private static async Task<Compilation> CreateCompilationAsync(RobustnessInput project, bool withoutPeer)
    {
        var compilation = await CompilationFactory.CreateAsync(project.Documents.Select(d => d.Text)).ConfigureAwait(false);
        return withoutPeer ? compilation : WithCa1849(compilation);
    }

    /// <summary>CA1849 is off by default: turned on as the peer's users would, to get its findings.</summary>
    internal static Compilation WithCa1849(Compilation compilation)
        => compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(compilation.Options.SpecificDiagnosticOptions.SetItem(Ca1849, ReportDiagnostic.Warn)));

    /// <summary>
    /// One pair of runs, TrueAsync's analyzers and CA1849 in one analysis each time, once in each order (only TrueAsync's
    /// when <paramref name="ca1849"/> is empty): each analyzer's mean time and the first run's diagnostics.
    /// </summary>
    internal static async Task<Measurement> MeasurePairAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> trueAsync, ImmutableArray<DiagnosticAnalyzer> ca1849, bool trueAsyncFirst)
    {
        var ours = trueAsync.AddRange(ca1849);
        var peerFirst = ca1849.AddRange(trueAsync);
        var first = await MeasureAsync(compilation, trueAsyncFirst ? ours : peerFirst).ConfigureAwait(false);
        var second = ca1849.IsEmpty ? first : await MeasureAsync(compilation, trueAsyncFirst ? peerFirst : ours).ConfigureAwait(false);
        return Measurement.Pair(first, second);
    }

    private static async Task<Measurement> MeasureAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        if (analyzers.IsEmpty)
        {
            return new Measurement(new Dictionary<DiagnosticAnalyzer, double>(), ImmutableArray<Diagnostic>.Empty);
        }

        // Garbage left by the previous run would be collected during this one, inside whichever analyzer allocates then.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: null,
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: true,
                reportSuppressedDiagnostics: false));
        var result = await withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).ConfigureAwait(false);
        var times = analyzers.ToDictionary(a => a, a => result.AnalyzerTelemetryInfo.TryGetValue(a, out var info) ? info.ExecutionTime.TotalMilliseconds : 0);
        return new Measurement(times, result.GetAllDiagnostics());
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string Shorten(string analyzerName)
        => analyzerName.EndsWith("Analyzer", StringComparison.Ordinal) ? analyzerName.Substring(0, analyzerName.Length - "Analyzer".Length) : analyzerName;

    /// <summary>The analyzers of Microsoft.CodeAnalysis.NetAnalyzers that report CA1849, copied next to this program at build time.</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> LoadCa1849(TextWriter output)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "netanalyzers");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.dll") : Array.Empty<string>();
        if (files.Length == 0)
        {
            output.WriteLine("CA1849: Microsoft.CodeAnalysis.NetAnalyzers not found next to the program; comparison left out.");
            return ImmutableArray<DiagnosticAnalyzer>.Empty;
        }

        var loader = new AssemblyLoader();
        foreach (var file in files)
        {
            loader.AddDependencyLocation(file);
        }

        var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        foreach (var file in files)
        {
            var reference = new AnalyzerFileReference(file, loader);
            reference.AnalyzerLoadFailed += (_, e) => output.WriteLine($"CA1849: {Path.GetFileName(file)}: {e.Message}");
            foreach (var analyzer in reference.GetAnalyzers(LanguageNames.CSharp))
            {
                if (analyzer.SupportedDiagnostics.Any(d => d.Id == Ca1849))
                {
                    analyzers.Add(analyzer);
                }
            }
        }

        if (analyzers.Count == 0)
        {
            output.WriteLine("CA1849: no analyzer supporting CA1849 could be loaded; comparison left out.");
        }

        return analyzers.ToImmutable();
    }

    internal sealed class AssemblyLoader : IAnalyzerAssemblyLoader
    {
        private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);

        public AssemblyLoader()
        {
            AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
            {
                var name = new AssemblyName(args.Name).Name;
                return name is not null && _byName.TryGetValue(name, out var path) ? Assembly.LoadFrom(path) : null;
            };
        }

        public void AddDependencyLocation(string fullPath) => _byName[Path.GetFileNameWithoutExtension(fullPath)] = fullPath;

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
