using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Tests.Robustness;

namespace TrueAsync.Stress;

/// <summary>
/// The benchmark of <see cref="AnalyzerBenchmark"/> on a real project, warm: the project's compilation is rebuilt from the
/// compiler's own command line (saved by <c>build-with-report.sh --save-command</c>, source generators run), then
/// TrueAsync's analyzers and CA1849 analyze it in one process, run after run, in pairs of both orders. A build without the
/// compiler server runs TrueAsync's code once, compiling it on first use; here the first pair pays that (and so does this
/// program's CA1849, which comes from the NetAnalyzers package rather than precompiled in the SDK) and is shown on its own,
/// and the median over the later pairs is what the analysis itself costs (docs/architecture.md, "Speed").
/// </summary>
public static class ProjectBenchmark
{
    public static async Task RunAsync(RulesUnderTest rules, string commandFile, string directory, int repeat, TextWriter output)
    {
        var ca1849 = AnalyzerBenchmark.LoadCa1849(output);
        if (ca1849.IsEmpty)
        {
            throw new ArgumentException("CA1849 could not be loaded: nothing to compare with");
        }

        var compilation = CreateCompilation(File.ReadAllText(commandFile), Path.GetFullPath(directory), output);
        compilation = AnalyzerBenchmark.WithCa1849(compilation);
        var lines = compilation.SyntaxTrees.Sum(t => t.GetText().Lines.Count);
        output.WriteLine($"Project benchmark: {Path.GetFileName(directory.TrimEnd('/'))}, {compilation.SyntaxTrees.Count()} files, {lines:N0} lines, "
            + $"{repeat} pair(s) of runs after the first (one in each order), {Environment.ProcessorCount} cores, sequential analysis");

        var names = rules.Analyzers.Select(a => AnalyzerBenchmark.Shorten(a.GetType().Name)).ToArray();
        var header = $"{"runs",-16} " + string.Join(" ", names.Select(n => $"{n,15}")) + $" {"TrueAsync ms",13} {"CA1849 ms",10} {"TrueAsync/CA1849",17} {"diagnostics",12} {"CA1849 diags",13}";
        output.WriteLine(header);
        output.WriteLine(new string('-', header.Length));

        var pairs = new List<AnalyzerBenchmark.Measurement>();
        for (var i = 0; i <= Math.Max(1, repeat); i++)
        {
            pairs.Add(await AnalyzerBenchmark.MeasurePairAsync(compilation, rules.Analyzers, ca1849, trueAsyncFirst: i % 2 == 0).ConfigureAwait(false));
            if (i == 0)
            {
                output.WriteLine(Row("first pair", pairs, rules.Analyzers, ca1849));
            }
        }

        output.WriteLine(Row("median of later", pairs.Skip(1).ToArray(), rules.Analyzers, ca1849));
        output.WriteLine();
        output.WriteLine("Analyzer times are execution times in milliseconds (AnalyzerTelemetryInfo.ExecutionTime). The first pair includes");
        output.WriteLine("the runtime compiling both analyzers' code on first use (in a build, CA1849's ships precompiled inside the SDK);");
        output.WriteLine("the later pairs are the analysis alone.");
    }

    private static string Row(string label, IReadOnlyList<AnalyzerBenchmark.Measurement> pairs, ImmutableArray<DiagnosticAnalyzer> trueAsync, ImmutableArray<DiagnosticAnalyzer> ca1849)
    {
        var perAnalyzer = trueAsync.Select(a => AnalyzerBenchmark.Median(pairs.Select(p => p.Times[a])));
        var ours = AnalyzerBenchmark.Median(pairs.Select(p => AnalyzerBenchmark.Sum(p, trueAsync)));
        var peer = AnalyzerBenchmark.Median(pairs.Select(p => AnalyzerBenchmark.Sum(p, ca1849)));
        var ratio = AnalyzerBenchmark.Median(pairs.Select(p => AnalyzerBenchmark.Sum(p, trueAsync) / Math.Max(1e-9, AnalyzerBenchmark.Sum(p, ca1849))));
        return $"{label,-16} " + string.Join(" ", perAnalyzer.Select(t => $"{t,15:0.0}"))
            + $" {ours,13:0.0} {peer,10:0.0} {ratio,17:0.00} {pairs[0].Count(trueAsync),12:N0} {pairs[0].Count(ca1849),13:N0}";
    }

    /// <summary>The compilation the compiler would build from <paramref name="commandLine"/> (csc's arguments), with its generators' output.</summary>
    private static Compilation CreateCompilation(string commandLine, string directory, TextWriter output)
    {
        var arguments = CommandLineParser.SplitCommandLineIntoArguments(commandLine.Trim(), removeHashComments: false).ToArray();
        var parsed = CSharpCommandLineParser.Default.Parse(arguments, directory, sdkDirectory: null);
        var errors = parsed.Errors.Where(e => e.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new ArgumentException("the command line does not parse: " + errors[0]);
        }

        // build-with-report.sh's own configuration file (it turns CA1849 on, which WithCa1849 does here) is gone with the
        // script's temporary folder; the project's files are read.
        var configs = parsed.AnalyzerConfigPaths.Where(File.Exists).Select(p => AnalyzerConfig.Parse(SourceText.From(File.ReadAllText(p)), p)).ToArray();
        if (configs.Length < parsed.AnalyzerConfigPaths.Length)
        {
            output.WriteLine($"analyzer configuration files no longer there, left out: {string.Join(", ", parsed.AnalyzerConfigPaths.Where(p => !File.Exists(p)))}");
        }

        var configSet = AnalyzerConfigSet.Create(configs);
        var trees = parsed.SourceFiles
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(f.Path), System.Text.Encoding.UTF8), parsed.ParseOptions, f.Path))
            .ToArray();
        var references = parsed.MetadataReferences.Select(r => (MetadataReference)MetadataReference.CreateFromFile(Path.GetFullPath(r.Reference, directory), r.Properties)).ToArray();
        var treeOptions = new ConfigTreeOptions(configSet, trees);
        var compilation = CSharpCompilation.Create(
            parsed.CompilationName ?? "Project",
            trees,
            references,
            parsed.CompilationOptions.WithSyntaxTreeOptionsProvider(treeOptions));

        var loader = new AnalyzerBenchmark.AssemblyLoader();
        // Only the generators are taken from the command line's analyzers: TrueAsync's own are this program's, and CA1849 the package's.
        var analyzerReferences = parsed.AnalyzerReferences.Select(r => Path.GetFullPath(r.FilePath, directory))
            .Where(p => !Path.GetFileName(p).StartsWith("TrueAsync.", StringComparison.Ordinal))
            .ToArray();
        foreach (var path in analyzerReferences)
        {
            loader.AddDependencyLocation(path);
        }

        var generators = analyzerReferences.SelectMany(p => new AnalyzerFileReference(p, loader).GetGenerators(LanguageNames.CSharp)).ToArray();
        var additional = parsed.AdditionalFiles.Select(f => (AdditionalText)new FileText(f.Path)).ToImmutableArray();
        var driver = CSharpGeneratorDriver.Create(generators, additional, (CSharpParseOptions)parsed.ParseOptions, new ConfigOptionsProvider(configSet));
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        // A compilation with errors analyzes differently from the build's: say so, with the first few.
        var problems = generated.GetDiagnostics().Concat(generatorDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        output.WriteLine($"compilation rebuilt from the command line: {generators.Length} generator(s), {problems.Length} error(s)");
        foreach (var error in problems.Take(3))
        {
            output.WriteLine("  " + error);
        }

        return generated;
    }

    /// <summary>The severities the project's .editorconfig and global config files set, per tree (what the compiler reads).</summary>
    private sealed class ConfigTreeOptions : SyntaxTreeOptionsProvider
    {
        private readonly AnalyzerConfigSet set;
        private readonly Dictionary<SyntaxTree, AnalyzerConfigOptionsResult> perTree;

        public ConfigTreeOptions(AnalyzerConfigSet set, IEnumerable<SyntaxTree> trees)
        {
            this.set = set;
            perTree = trees.ToDictionary(t => t, t => set.GetOptionsForSourcePath(t.FilePath));
        }

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken)
            => For(tree).AnalyzerOptions.TryGetValue("generated_code", out var value) && bool.TryParse(value, out var generated)
                ? generated ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated
                : GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => For(tree).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);

        private AnalyzerConfigOptionsResult For(SyntaxTree tree)
            => perTree.TryGetValue(tree, out var result) ? result : set.GetOptionsForSourcePath(tree.FilePath);
    }

    /// <summary>The key/value options of the same files, for the generators.</summary>
    private sealed class ConfigOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly AnalyzerConfigSet set;

        public ConfigOptionsProvider(AnalyzerConfigSet set)
        {
            this.set = set;
            GlobalOptions = new Options(set.GlobalConfigOptions.AnalyzerOptions);
        }

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(set.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(set.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly ImmutableDictionary<string, string> values;

            public Options(ImmutableDictionary<string, string> values) => this.values = values;

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }

    private sealed class FileText : AdditionalText
    {
        public FileText(string path) => Path = path;

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
    }
}
