using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Engine;

/// <summary>
/// Everything TrueAsync knows about one compilation, built once and shared by every analyzer
/// (docs/architecture.md, "The engine"): the well-known symbols, the one blocking-call model with its per-method
/// cache, the one set of own-method summaries, task waits, and the offload classifier. It also answers the
/// ownership questions, so that a fake-async site is reported by exactly one rule and the rule that owns it is
/// decided here only:
/// <list type="bullet">
/// <item>a site inside the delegate of an offload TA0001 reports is TA0001's (<see cref="IsSiteOfOffload"/>);</item>
/// <item>a wait on such an offload is TA0001's, unless TA0001 decides about the offload only at compilation end
/// (own methods only), when the wait is TA0002's and TA0001 stays silent about it (<see cref="IsWaitOnOffload"/>);</item>
/// <item>everything else is decided by the rule the site's shape belongs to (TA0002 waits, TA0003 calls in async
/// code, TA0004 Task-returning methods that return a finished task).</item>
/// </list>
/// </summary>
internal sealed class TrueAsyncEngine
{
    private static readonly ConditionalWeakTable<Compilation, Slot> PerCompilation = new();
    private readonly Lazy<TaskWaits?> waits;
    private readonly Lazy<OffloadClassifier?> offloads;

    private TrueAsyncEngine(Compilation compilation, AnalyzerOptions? options)
    {
        Compilation = compilation;
        Model = BlockingCallModel.Create(compilation, options);
        Summaries = new OwnMethodSummaries(compilation, Model);
        waits = new Lazy<TaskWaits?>(() => TaskWaits.Create(compilation));
        offloads = new Lazy<OffloadClassifier?>(() => Waits is { } found ? new OffloadClassifier(compilation, Model, found, Summaries) : null);
        Classifier = new SiteClassifier(this);
    }

    public Compilation Compilation { get; }

    public BlockingCallModel Model { get; }

    public WellKnownTypes Types => Model.Types;

    public OwnMethodSummaries Summaries { get; }

    /// <summary>
    /// Null when the compilation has no <c>System.Threading.Tasks.Task</c>. Like <see cref="WellKnownTypes"/>, made on the
    /// first question from an analysis action, not at compilation start: the types it resolves are cheap to find once the
    /// compiler has read the referenced assemblies' namespaces (docs/architecture.md, "Speed").
    /// </summary>
    public TaskWaits? Waits => waits.Value;

    /// <summary>Null when the compilation has no <c>System.Threading.Tasks.Task</c>; made on the first question, as <see cref="Waits"/> is.</summary>
    public OffloadClassifier? Offloads => offloads.Value;

    /// <summary>What a site is and which rule owns it.</summary>
    public SiteClassifier Classifier { get; }

    /// <summary>
    /// The engine of <paramref name="compilation"/>: the same instance for every analyzer of one driver run (they see
    /// the same compilation and the same options). Options are part of the key because exclusions come from them.
    /// </summary>
    public static TrueAsyncEngine GetOrCreate(Compilation compilation, AnalyzerOptions? options)
    {
        var slot = PerCompilation.GetValue(compilation, _ => new Slot());
        return slot.Get(compilation, options);
    }

    /// <summary>
    /// The engine for a rule's compilation-start action, with the own-method collection pass registered for that rule:
    /// each rule that reports at compilation end must have seen every body itself before it asks the summaries, and
    /// the summaries read each body once however many rules register (docs/architecture.md, "Own methods").
    /// </summary>
    public static TrueAsyncEngine ForRule(CompilationStartAnalysisContext context, bool collectOwnMethods)
    {
        var engine = GetOrCreate(context.Compilation, context.Options);
        if (collectOwnMethods)
        {
            engine.Summaries.RegisterCollection(context);
        }

        return engine;
    }

    /// <summary>
    /// Whether <paramref name="site"/> runs in the body of an offload delegate that TA0001 reports (now, or at compilation
    /// end through own methods): TA0001 speaks for it. A site in a lambda or local function nested in that delegate is not
    /// one of its sites (it runs when called), nor is one in an async delegate (TA0001 leaves those alone).
    /// </summary>
    public bool IsSiteOfOffload(IOperation site)
    {
        if (Offloads is null)
        {
            return false;
        }

        for (var current = site.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILocalFunctionOperation:
                    return false;
                case IAnonymousFunctionOperation function:
                    return OffloadDelegates.GetOffloadInvocation(function) is { } offload && Offloads.GetVerdict(offload) != OffloadVerdict.None;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the task <paramref name="wait"/> blocks on is an offload that TA0001 reports at once: then the wrapper and
    /// the wait are one site (its fix removes both) and TA0001 speaks for it.
    /// </summary>
    public bool IsWaitOnOffload(TaskWait wait)
        => Offloads is not null
            && wait.Task is { } task
            && Operations.StripConversions(task) is IInvocationOperation invocation
            && Offloads.GetVerdict(invocation) == OffloadVerdict.Reported;

    /// <summary>
    /// Whether the offload <paramref name="invocation"/> is the task of a wait (<c>Task.Run(…).Result</c>, <c>.Wait()</c>,
    /// <c>.GetAwaiter().GetResult()</c>). Such a wait is TA0002's when TA0001 decides only at compilation end.
    /// </summary>
    public bool IsWaitedOn(IInvocationOperation invocation)
    {
        if (Waits is null)
        {
            return false;
        }

        IOperation? parent = invocation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        // x.Result / x.Wait() directly, or x.GetAwaiter().GetResult() and x.ConfigureAwait(…).GetAwaiter().GetResult() two or three levels up.
        for (var depth = 0; parent is not null && depth < 3; depth++, parent = parent.Parent)
        {
            if (Waits.TryGetWait(parent) is { Task: { } task } && ReferenceEquals(Operations.StripConversions(task), invocation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One engine per options provider: a driver run has one; an editor may re-run with new options.</summary>
    private sealed class Slot
    {
        private readonly List<(AnalyzerConfigOptionsProvider? Provider, TrueAsyncEngine Engine)> engines = new(1);

        public TrueAsyncEngine Get(Compilation compilation, AnalyzerOptions? options)
        {
            var provider = options?.AnalyzerConfigOptionsProvider;
            lock (engines)
            {
                foreach (var (known, engine) in engines)
                {
                    if (ReferenceEquals(known, provider))
                    {
                        return engine;
                    }
                }

                var created = new TrueAsyncEngine(compilation, options);
                if (engines.Count >= 4)
                {
                    // Options changed several times for one compilation (an editor session): keep the newest few.
                    engines.RemoveAt(0);
                }

                engines.Add((provider, created));
                return created;
            }
        }
    }
}
