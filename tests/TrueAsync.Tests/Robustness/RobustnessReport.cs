using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace TrueAsync.Tests.Robustness;

/// <summary>What went wrong, one counter each.</summary>
public enum FailureKind
{
    /// <summary>An analyzer threw (AD0001) or a fixer threw while registering, computing or applying a fix.</summary>
    Crash,

    /// <summary>An analyzer or fixer did not finish within the time limit.</summary>
    Hang,

    /// <summary>A fix or Fix All produced a compiler error the input did not have.</summary>
    CompileFailure,

    /// <summary>After a fix, a diagnostic of the same ID is still (or again) reported at the fixed site.</summary>
    StillReported,

    /// <summary>A second Fix All still found something to fix.</summary>
    FixAllNotIdempotent,

    /// <summary>Two TrueAsync diagnostics at one call site.</summary>
    TwoVoices,

    /// <summary>A site the engine's classifier calls fake async got no diagnostic from the rule that owns it (or more than one).</summary>
    NoVoice,

    /// <summary>A fixer registered an action that changes nothing (the house rule: never register one).</summary>
    NoChange,
}

/// <summary>
/// The figures of a robustness run and the first failures in detail. Thread-safe, so inputs can be
/// checked in parallel.
/// </summary>
public sealed class RobustnessReport
{
    private const int MaxDetails = 60;
    private readonly ConcurrentQueue<string> _details = new();
    private readonly ConcurrentDictionary<string, long> _diagnosticsById = new(StringComparer.Ordinal);
    private readonly long[] _failures = new long[Enum.GetValues(typeof(FailureKind)).Length];
    private long _inputs;
    private long _mutations;
    private long _lines;
    private long _diagnostics;
    private long _fixesOffered;
    private long _fixesApplied;
    private long _fixAllRuns;

    public long Inputs => Interlocked.Read(ref _inputs);

    public long Mutations => Interlocked.Read(ref _mutations);

    public long Lines => Interlocked.Read(ref _lines);

    public long Diagnostics => Interlocked.Read(ref _diagnostics);

    public long FixesOffered => Interlocked.Read(ref _fixesOffered);

    public long FixesApplied => Interlocked.Read(ref _fixesApplied);

    public long FixAllRuns => Interlocked.Read(ref _fixAllRuns);

    public long TotalFailures => Enumerable.Range(0, _failures.Length).Sum(i => Interlocked.Read(ref _failures[i]));

    public long Count(FailureKind kind) => Interlocked.Read(ref _failures[(int)kind]);

    public void AddInput(RobustnessInput input)
    {
        if (input.Origin == InputOrigin.Mutation)
        {
            Interlocked.Increment(ref _mutations);
        }
        else
        {
            Interlocked.Increment(ref _inputs);
        }

        Interlocked.Add(ref _lines, input.LineCount);
    }

    public void AddDiagnostic(string id)
    {
        Interlocked.Increment(ref _diagnostics);
        _diagnosticsById.AddOrUpdate(id, 1, (_, n) => n + 1);
    }

    public void AddFixOffered() => Interlocked.Increment(ref _fixesOffered);

    public void AddFixApplied() => Interlocked.Increment(ref _fixesApplied);

    public void AddFixAllRun() => Interlocked.Increment(ref _fixAllRuns);

    public void Fail(FailureKind kind, string inputName, string what)
    {
        var total = Interlocked.Increment(ref _failures[(int)kind]);
        if (_details.Count < MaxDetails)
        {
            _details.Enqueue($"[{kind} #{total}] {inputName}: {what}");
        }
    }

    /// <summary>The figures, one per line, in the order the long command prints them.</summary>
    public string Figures()
    {
        var text = new StringBuilder();
        void Line(string name, long value) => text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-28}{1,10:N0}", name, value));
        Line("inputs tried", Inputs);
        Line("lines in inputs", Lines);
        Line("mutations tried", Mutations);
        Line("diagnostics", Diagnostics);
        foreach (var pair in _diagnosticsById.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line("  " + pair.Key, pair.Value);
        }

        Line("fixes offered", FixesOffered);
        Line("fixes applied", FixesApplied);
        Line("fix-all runs", FixAllRuns);
        Line("crashes", Count(FailureKind.Crash));
        Line("hangs", Count(FailureKind.Hang));
        Line("compile failures", Count(FailureKind.CompileFailure));
        Line("still reported after fix", Count(FailureKind.StillReported));
        Line("fix-all not idempotent", Count(FailureKind.FixAllNotIdempotent));
        Line("two voices at one site", Count(FailureKind.TwoVoices));
        Line("classified sites without exactly one voice", Count(FailureKind.NoVoice));
        Line("fixes that change nothing", Count(FailureKind.NoChange));
        return text.ToString();
    }

    /// <summary>The first failures in detail, for the test message and the console.</summary>
    public string Details() => string.Join(Environment.NewLine + Environment.NewLine, _details);

    public override string ToString() => TotalFailures == 0 ? Figures() : Figures() + Environment.NewLine + Details();
}
