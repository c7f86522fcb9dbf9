using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using TrueAsync.Tests.Robustness;

namespace TrueAsync.Stress;

/// <summary>
/// <c>dotnet run -c Release --project tests/TrueAsync.Stress -- --mutations N [--seed S] [--files F] [--parallel P] [--default-only]</c>:
/// the robustness checks without the test run's bounds.
/// <c>dotnet run -c Release --project tests/TrueAsync.Stress -- bench [--profile realistic,clean] [--files 100,200,400,800] [--repeat R] [--seed S] [--no-ca1849] [--fix-files F]</c>:
/// analyzer time on generated projects of growing size, per profile, then the time to register fixes for every
/// diagnostic of the samples and of a generated project of F files.
/// <c>dotnet run -c Release --project tests/TrueAsync.Stress -- project --command FILE --dir FOLDER [--repeat R]</c>: the same
/// comparison on a real project, warm (<see cref="ProjectBenchmark"/>), from the compiler command line that
/// <c>build-with-report.sh --save-command FILE</c> saves.
/// <c>dotnet run -c Release --project tests/TrueAsync.Stress -- fixes [--fix-files F] [--repeat R] [--seed S]</c>: only the
/// second part, the time to register (and apply) fixes.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            if (options.Command == "bench")
            {
                await AnalyzerBenchmark.RunAsync(
                    RulesUnderTest.Shipped(),
                    options.StringList("profile", new[] { "realistic", "clean" }),
                    options.IntList("files", new[] { 100, 200, 400, 800 }),
                    options.Int("repeat", 3),
                    options.Int("seed", RobustnessBudget.Seed),
                    includeCa1849: !options.Flag("no-ca1849"),
                    Console.Out).ConfigureAwait(false);
                Console.Out.WriteLine();
                await FixRegistrationBenchmark.RunAsync(
                    RulesUnderTest.Shipped(),
                    options.Int("fix-files", 40),
                    options.Int("repeat", 3),
                    options.Int("seed", RobustnessBudget.Seed),
                    Console.Out).ConfigureAwait(false);
                return 0;
            }

            if (options.Command == "project")
            {
                await ProjectBenchmark.RunAsync(
                    RulesUnderTest.Shipped(),
                    options.String("command") ?? throw new ArgumentException("project needs --command FILE (csc's arguments, from build-with-report.sh --save-command)"),
                    options.String("dir") ?? throw new ArgumentException("project needs --dir FOLDER (the project's folder, where the command line's relative paths start)"),
                    options.Int("repeat", 3),
                    Console.Out).ConfigureAwait(false);
                return 0;
            }

            if (options.Command == "fixes")
            {
                await FixRegistrationBenchmark.RunAsync(
                    RulesUnderTest.Shipped(),
                    options.Int("fix-files", 40),
                    options.Int("repeat", 3),
                    options.Int("seed", RobustnessBudget.Seed),
                    Console.Out).ConfigureAwait(false);
                return 0;
            }

            if (options.Command is not ("stress" or ""))
            {
                throw new ArgumentException("unknown command '" + options.Command + "'");
            }

            var report = await StressRun.RunAsync(
                RulesUnderTest.Shipped(),
                mutations: options.Int("mutations", 2000),
                seed: options.Int("seed", RobustnessBudget.Seed),
                generatedFiles: options.Int("files", 60),
                parallelism: options.Int("parallel", RobustnessBudget.Parallelism),
                fullMatrix: !options.Flag("default-only"),
                Console.Out).ConfigureAwait(false);
            return report.TotalFailures == 0 ? 0 : 1;
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message);
            Console.Error.WriteLine("usage: TrueAsync.Stress [--mutations N] [--seed S] [--files F] [--parallel P] [--default-only]");
            Console.Error.WriteLine("       TrueAsync.Stress bench [--profile realistic,clean] [--files 100,200,400,800] [--repeat R] [--seed S] [--no-ca1849] [--fix-files F]");
            Console.Error.WriteLine("       TrueAsync.Stress project --command FILE --dir FOLDER [--repeat R]");
            return 2;
        }
    }

    private sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public string Command { get; private set; } = string.Empty;

        public static Options Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    var name = arg.Substring(2);
                    var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                    options._values[name] = hasValue ? args[++i] : "true";
                }
                else if (options.Command.Length == 0)
                {
                    options.Command = arg;
                }
                else
                {
                    throw new ArgumentException("unexpected argument '" + arg + "'");
                }
            }

            return options;
        }

        public int Int(string name, int fallback)
            => _values.TryGetValue(name, out var text)
                ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : throw new ArgumentException($"--{name} takes a number, not '{text}'")
                : fallback;

        public IReadOnlyList<string> StringList(string name, IReadOnlyList<string> fallback)
            => _values.TryGetValue(name, out var text)
                ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : fallback;

        public IReadOnlyList<int> IntList(string name, IReadOnlyList<int> fallback)
            => _values.TryGetValue(name, out var text)
                ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new ArgumentException($"--{name} takes numbers, not '{t}'"))
                    .ToArray()
                : fallback;

        public bool Flag(string name) => _values.ContainsKey(name);

        public string? String(string name) => _values.TryGetValue(name, out var text) ? text : null;
    }
}
