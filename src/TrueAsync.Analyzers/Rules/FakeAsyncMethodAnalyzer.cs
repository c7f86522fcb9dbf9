using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Engine;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Rules;

/// <summary>
/// TA0004: a Task-returning method, local function or lambda that is not <c>async</c>, blocks on I/O and then hands back
/// a finished task (<c>Task.FromResult</c>, <c>Task.CompletedTask</c>, <c>new ValueTask&lt;T&gt;(…)</c>); and
/// <c>await Task.FromResult(blocking())</c> in async code. Reported on each blocking call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FakeAsyncMethodAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Which shape was found: <see cref="ShapeMethod"/> or <see cref="ShapeAwait"/>.</summary>
    public const string ShapeProperty = "TA4.Shape";

    /// <summary>A non-async function that returns a finished task; additional location 0 is the function.</summary>
    public const string ShapeMethod = "Method";

    /// <summary><c>await Task.FromResult(…)</c>; additional location 0 is the await expression.</summary>
    public const string ShapeAwait = "Await";

    /// <summary>"true" when the fixer can rewrite this call together with its function (or await expression).</summary>
    public const string FixableProperty = "TA4.Fixable";

    /// <summary>
    /// On a call of an own blocking method (no counterpart): "true" when the function (or await expression) could be rewritten
    /// as <see cref="FixableProperty"/> says once the method has an async twin to await (the twin action, docs/rules/TA0004.md).
    /// </summary>
    public const string TwinFixableProperty = "TA4.TwinFixable";

    /// <summary>On a call of an own blocking method: "true" when the function is that method's own async twin (<c>XAsync</c> calling <c>X</c>).</summary>
    public const string OwnTwinProperty = "TA4.OwnTwin";

    private const string Title = "Fake async method: blocks, then returns a finished task";
    private const string MessageFormat = "{0} blocks on '{1}' ({2}) and then hands back a finished task; {3}";
    private const string Description =
        "A method that returns Task or ValueTask promises that the caller's thread is released while the I/O is in flight. "
        + "Blocking first and then returning Task.FromResult, Task.CompletedTask or new ValueTask<T>(…) keeps the thread for the whole I/O "
        + "and hides it behind an async signature. Make the method async and await the true async API.";

    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.FakeAsyncMethod,
        title: Title,
        messageFormat: MessageFormat,
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.FakeAsyncMethod));

    /// <summary>
    /// The same rule when the blocking is found through the project's own methods (<c>Task.FromResult(repo.LoadAll())</c>):
    /// known only once every body has been read, so it is reported at compilation end, without a fix.
    /// </summary>
    internal static readonly DiagnosticDescriptor OwnMethodRule = new(
        id: RuleIdentifiers.FakeAsyncMethod,
        title: Title,
        messageFormat: MessageFormat,
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.FakeAsyncMethod),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    private const string BeforeTaskMessageFormat = "{0} blocks on '{1}' ({2}) on the caller's thread, before it returns any task; {3}";

    /// <summary>
    /// A Task-returning function that is not async and blocks before it returns a real task
    /// (<c>var u = db.Users.Single(…); return cache.RemoveAsync(key);</c>): the caller's thread waits before any task exists.
    /// </summary>
    internal static readonly DiagnosticDescriptor BeforeTaskRule = new(
        id: RuleIdentifiers.FakeAsyncMethod,
        title: Title,
        messageFormat: BeforeTaskMessageFormat,
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.FakeAsyncMethod));

    /// <summary><see cref="BeforeTaskRule"/> through the project's own methods, at compilation end, without a fix.</summary>
    internal static readonly DiagnosticDescriptor OwnMethodBeforeTaskRule = new(
        id: RuleIdentifiers.FakeAsyncMethod,
        title: Title,
        messageFormat: BeforeTaskMessageFormat,
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.FakeAsyncMethod),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, OwnMethodRule, BeforeTaskRule, OwnMethodBeforeTaskRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Not analyzed, so nothing to filter: docs/architecture.md, "Generated code".
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is resolved here: the engine resolves its types on the first question from an action. Without
            // System.Threading.Tasks.Task no function returns a task, and the rule finds nothing.
            var analysis = new CompilationAnalysis(TrueAsyncEngine.ForRule(start, collectOwnMethods: true));
            start.RegisterOperationAction(analysis.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(analysis.AnalyzeLoop, OperationKind.Loop);
            start.RegisterCompilationEndAction(analysis.ReportOwnMethodSites);
        });
    }

    private sealed class CompilationAnalysis
    {
        private const string RuleId = RuleIdentifiers.FakeAsyncMethod;

        private readonly TrueAsyncEngine engine;
        private readonly BlockingCallModel model;
        private readonly OwnMethodSummaries summaries;
        private readonly ConcurrentQueue<OwnMethodSite> ownMethodSites = new();

        // Per function syntax: does it hand back only finished tasks, and can it become async? Filled only for
        // functions that contain a blocking call, so it stays small.
        private readonly ConcurrentDictionary<SyntaxNode, FunctionFacts> functions = new();

        public CompilationAnalysis(TrueAsyncEngine engine)
        {
            this.engine = engine;
            model = engine.Model;
            summaries = engine.Summaries;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;

            // The per-method answers go first (both cached): almost every call can block neither through a counterpart
            // nor, as one of the project's own methods, through its body (known only at compilation end).
            if (!model.MightHaveCounterpart(method) && !summaries.MayBlock(method))
            {
                return;
            }

            // Then the place, before the call's own checks (which build the counterpart): TA0004's sites are inside
            // 'await Task.FromResult(…)' or in a synchronous Task-returning function, and most blocking calls are elsewhere.
            var awaited = FinishedTasks.GetAwaitedFinishedTask(invocation);
            var function = awaited is null ? FindSynchronousTaskFunction(context, invocation) : null;
            if (awaited is null && function is null)
            {
                return;
            }

            AsyncCounterpart? counterpart;
            if (!model.IsBlocking(invocation, RuleId, out counterpart))
            {
                if (!summaries.MayBlock(method))
                {
                    return;
                }

                counterpart = null;
            }

            if (engine.IsSiteOfOffload(invocation))
            {
                return;
            }

            var blocking = counterpart?.BlockingMember ?? method.Name;
            if (awaited is not null)
            {
                var canRewrite = IsPlainAwaitOfFactory(awaited) && AwaitPlacement.CanAwaitAt(invocation);
                Report(context, invocation, invocation.Syntax, blocking, counterpart, "'await Task.FromResult(…)'", ShapeAwait, awaited.Syntax, canRewrite, advicePrefix: string.Empty);
                return;
            }

            AnalyzeInFunction(context, invocation, invocation.Syntax, blocking, counterpart, function!.Value);
        }

        /// <summary>Reports the calls of own methods that turned out to block, now that every body has been read.</summary>
        public void ReportOwnMethodSites(CompilationAnalysisContext context)
        {
            if (ownMethodSites.IsEmpty)
            {
                return;
            }

            summaries.Complete(context.CancellationToken);
            foreach (var site in ownMethodSites)
            {
                if (!summaries.TryGetChain(site.Callee, site.Location.SourceTree, RuleId, out var chain)
                    || model.IsExcludedByUser(site.Callee, site.Location.SourceTree, RuleId))
                {
                    continue;
                }

                var properties = ImmutableDictionary<string, string?>.Empty
                    .SetItem(ShapeProperty, site.Shape)
                    .SetItem(FixableProperty, "false")
                    .SetItem(TwinFixableProperty, site.CanRewrite ? "true" : "false")
                    .SetItem(OwnTwinProperty, site.IsOwnTwin ? "true" : "false");
                context.ReportDiagnostic(Diagnostic.Create(
                    site.BeforeTask ? OwnMethodBeforeTaskRule : OwnMethodRule,
                    site.Location,
                    additionalLocations: new[] { site.Group },
                    properties: properties,
                    site.Display,
                    site.Callee.Name,
                    chain.ToString(),
                    site.IsOwnTwin
                        ? "implement it with the true async API instead of calling '" + site.Callee.Name + "'"
                        : "'" + site.Callee.Name + "' has no async version to await yet"));
            }
        }

        /// <summary><c>foreach</c> over an EF query enumerates it synchronously: <c>await foreach</c> over <c>AsAsyncEnumerable()</c>.</summary>
        public void AnalyzeLoop(OperationAnalysisContext context)
        {
            if (context.Operation is not IForEachLoopOperation { Syntax: ForEachStatementSyntax syntax } loop
                || !model.TryGetForEachCounterpart(loop, RuleId, out var counterpart)
                || engine.IsSiteOfOffload(loop)
                || FindSynchronousTaskFunction(context, loop) is not { } function)
            {
                return;
            }

            AnalyzeInFunction(context, loop, syntax.Expression, "foreach", counterpart, function);
        }

        /// <summary>
        /// The synchronous Task-returning function <paramref name="site"/> runs in, or null: the same question the site
        /// classifier asks (docs/architecture.md, "Ownership"). TA0004 owns every blocking call of such a function, whether
        /// it then hands back a finished task or a real one.
        /// </summary>
        private static TaskFunction? FindSynchronousTaskFunction(OperationAnalysisContext context, IOperation site)
            => TaskFunctions.FindEnclosing(site, context.ContainingSymbol) is { IsSynchronousTaskReturning: true } function ? function : null;

        private void AnalyzeInFunction(OperationAnalysisContext context, IOperation site, SyntaxNode location, string blocking, AsyncCounterpart? counterpart, TaskFunction function)
        {
            if (DualPaths.IsOnSyncPath(site))
            {
                return;
            }

            // The lookup first: the factory captures the function, so GetOrAdd alone would allocate on every call.
            if (!functions.TryGetValue(function.Syntax, out var facts))
            {
                facts = AddFacts(function);
            }

            if (!facts.IsFake)
            {
                return;
            }

            // Whether the function can become async is asked of the facts only when a site is reported (it reads the
            // function's tokens and operations): most own-method sites here turn out not to block at compilation end.
            Report(context, site, location, blocking, counterpart, facts.Display, ShapeMethod, function.Syntax, AwaitPlacement.CanAwaitAt(site), "make it async and ", facts.ReturnsRealTask, facts);
        }

        private void Report(
            OperationAnalysisContext context,
            IOperation site,
            SyntaxNode location,
            string blocking,
            AsyncCounterpart? counterpart,
            string display,
            string shape,
            SyntaxNode group,
            bool canRewrite,
            string advicePrefix,
            bool beforeTask = false,
            FunctionFacts? function = null)
        {
            if (counterpart is null)
            {
                if (site is IInvocationOperation { TargetMethod: var callee })
                {
                    // CountAsync() => Task.FromResult(Count()): the async version would be the method itself.
                    var isOwnTwin = context.ContainingSymbol is IMethodSymbol { Name: var name } && name == callee.Name + "Async";
                    ownMethodSites.Enqueue(new OwnMethodSite((callee.ReducedFrom ?? callee).OriginalDefinition, location.GetLocation(), group.GetLocation(), display, shape, isOwnTwin, canRewrite, function)
                    {
                        BeforeTask = beforeTask,
                    });
                }

                return;
            }

            // A rewrite of compiled expressions (ExpressionsCompiled) is TA0003's fixer's only.
            var fixable = canRewrite && counterpart is { IsFixable: true, ExpressionsCompiled: false } && (function?.CanBecomeAsync ?? true);
            var properties = counterpart.ToProperties()
                .SetItem(ShapeProperty, shape)
                .SetItem(FixableProperty, fixable ? "true" : "false");
            var library = counterpart.Library;
            var advice = counterpart switch
            {
                { InMemoryFrom: { } from } => advicePrefix + "keep the query an IQueryable (after '" + from + "' it is LINQ to objects, which reads every row) and await '" + counterpart.AsyncDisplay + "' instead",
                { Kind: CounterpartKind.ForEachAsAsyncEnumerable } => advicePrefix + "use 'await foreach' over '" + counterpart.AsyncMember + "()' instead",
                _ => advicePrefix + "await '" + counterpart.AsyncDisplay + "' instead",
            };
            context.ReportDiagnostic(Diagnostic.Create(
                beforeTask ? BeforeTaskRule : Rule,
                location.GetLocation(),
                additionalLocations: new[] { group.GetLocation() },
                properties: properties,
                display,
                blocking,
                library,
                advice));
        }

        private FunctionFacts AddFacts(TaskFunction function) => functions.GetOrAdd(function.Syntax, _ => ComputeFacts(function));

        private static FunctionFacts ComputeFacts(TaskFunction function)
        {
            var method = function.Symbol;
            if (method.IsAsync || !FinishedTasks.IsTaskOrValueTask(method.ReturnType, out _) || method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                return FunctionFacts.NotFake;
            }

            var returnsValue = method.ReturnType is INamedTypeSymbol { IsGenericType: true };
            var returns = 0;
            var rewritable = true;
            var realTask = false;
            foreach (var operation in Operations.OfFunctionBody(function.Body))
            {
                if (operation is not IReturnOperation { Kind: OperationKind.Return } ret)
                {
                    continue;
                }

                returns++;
                var kind = FinishedTasks.Classify(ret.ReturnedValue, out var argument);
                switch (kind)
                {
                    case FinishedTaskKind.None:
                        // A real task: whatever blocked before it did so on the caller's thread. The fix awaits it
                        // ('return await task;'), which needs a task-typed value (not null or a custom awaitable).
                        realTask = true;
                        rewritable &= IsAwaitableTask(ret.ReturnedValue);
                        break;
                    case FinishedTaskKind.Canceled:
                        rewritable = false;
                        break;
                    case FinishedTaskKind.Value when !returnsValue && argument is not null && !IsStatementExpression(argument.Syntax)
                        && !IsAtLeast(function.Syntax, LanguageVersion.CSharp7):
                        // Task M() { …; return Task.FromResult(x); } becomes "_ = x;", which needs C# 7.
                        rewritable = false;
                        break;
                    case FinishedTaskKind.DefaultValue when !IsAtLeast(function.Syntax, LanguageVersion.CSharp7_1):
                        // new ValueTask<T>() becomes "return default;".
                        rewritable = false;
                        break;
                    case FinishedTaskKind.Faulted when ret.IsImplicit && !IsAtLeast(function.Syntax, LanguageVersion.CSharp7):
                        // "=> Task.FromException<T>(e)" becomes "=> throw e".
                        rewritable = false;
                        break;
                }
            }

            return new FunctionFacts(isFake: true, rewritable ? function : null, Display(function)) { ReturnsRealTask = realTask || returns == 0 };
        }

        private static bool IsAwaitableTask(IOperation? value)
        {
            while (value is IConversionOperation { IsImplicit: true } conversion)
            {
                value = conversion.Operand;
            }

            if (value is IConditionalOperation { WhenFalse: { } whenFalse } conditional)
            {
                // skip ? Task.CompletedTask : null: each branch must be a task.
                return IsAwaitableTask(conditional.WhenTrue) && IsAwaitableTask(whenFalse);
            }

            return value is not null && !value.ConstantValue.HasValue && value.Type is { } type && FinishedTasks.IsTaskOrValueTask(type, out _);
        }

        private static string Display(TaskFunction function) => function.Kind switch
        {
            TaskFunctionKind.Lambda => function.Syntax is AnonymousMethodExpressionSyntax ? "This anonymous method" : "This lambda",
            TaskFunctionKind.LocalFunction => "Local function '" + function.Symbol.Name + "'",
            _ => "'" + function.Symbol.Name + "'",
        };

        /// <summary>
        /// Whether adding <c>async</c> keeps the function compiling: no ref, out, in or ref-struct parameters or locals,
        /// no unsafe context, no identifier named <c>await</c>, not a struct member, C# 5 or later.
        /// </summary>
        internal static bool CanBecomeAsync(TaskFunction function)
        {
            var syntax = function.Syntax;
            if (syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp5 })
            {
                return false;
            }

            foreach (var parameter in function.Symbol.Parameters)
            {
                if (parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType || parameter.Type.TypeKind == TypeKind.Pointer)
                {
                    return false;
                }
            }

            if (function.Kind == TaskFunctionKind.Method && function.Symbol.ContainingType is { IsValueType: true })
            {
                // An async struct method works on a copy of 'this': mutations would no longer reach the caller.
                return false;
            }

            if (AwaitPlacement.IsInUnsafeContext(syntax))
            {
                return false;
            }

            if (MayNameAwait(syntax))
            {
                foreach (var token in syntax.DescendantTokens())
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == "await")
                    {
                        return false;
                    }
                }
            }

            foreach (var operation in Operations.OfFunctionBody(function.Body))
            {
                if (operation is IVariableDeclaratorOperation { Symbol: { } local }
                    && (local.IsRef || local.Type.IsRefLikeType || local.Type.TypeKind == TypeKind.Pointer))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Whether the function's text holds <c>await</c> or a Unicode escape (<c>\u0061wait</c>) at all: most functions hold
        /// neither, and for them the scan of every token for an identifier named <c>await</c> is skipped.
        /// </summary>
        private static bool MayNameAwait(SyntaxNode syntax)
        {
            var text = syntax.SyntaxTree.GetText();
            var span = syntax.Span;
            for (var i = span.Start; i < span.End - 1; i++)
            {
                var c = text[i];
                if ((c == '\\' && text[i + 1] is 'u' or 'U')
                    || (c == 'a' && i + 4 < span.End && text[i + 1] == 'w' && text[i + 2] == 'a' && text[i + 3] == 'i' && text[i + 4] == 't'))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>await Task.FromResult(x)</c> with nothing between the await and the factory (no ConfigureAwait).</summary>
        private static bool IsPlainAwaitOfFactory(IAwaitOperation awaited)
        {
            var operand = awaited.Operation;
            while (operand is IConversionOperation { IsImplicit: true } conversion)
            {
                operand = conversion.Operand;
            }

            return FinishedTasks.IsFinishedTaskFactory(operand) && awaited.Syntax is AwaitExpressionSyntax;
        }

        private static bool IsStatementExpression(SyntaxNode syntax) => syntax is InvocationExpressionSyntax
            or AwaitExpressionSyntax or AssignmentExpressionSyntax or ObjectCreationExpressionSyntax
            or PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression };

        private static bool IsAtLeast(SyntaxNode syntax, LanguageVersion version)
            => syntax.SyntaxTree.Options is not CSharpParseOptions options || options.LanguageVersion >= version;

    }

    /// <summary>A call of an own method in a fake async function, decided at compilation end.</summary>
    private sealed class OwnMethodSite
    {
        private readonly bool canAwaitHere;
        private readonly FunctionFacts? function;

        public OwnMethodSite(IMethodSymbol callee, Location location, Location group, string display, string shape, bool isOwnTwin, bool canAwaitHere, FunctionFacts? function)
        {
            IsOwnTwin = isOwnTwin;
            this.canAwaitHere = canAwaitHere;
            this.function = function;
            Callee = callee;
            Location = location;
            Group = group;
            Display = display;
            Shape = shape;
        }

        public IMethodSymbol Callee { get; }

        public Location Location { get; }

        public Location Group { get; }

        public string Display { get; }

        public string Shape { get; }

        public bool IsOwnTwin { get; }

        /// <summary>The function returns a real task: reported with <see cref="OwnMethodBeforeTaskRule"/>.</summary>
        public bool BeforeTask { get; set; }

        /// <summary>The function (or await) could be rewritten once the callee has a twin; asked only of reported sites.</summary>
        public bool CanRewrite => canAwaitHere && (function?.CanBecomeAsync ?? true);
    }

    private sealed class FunctionFacts
    {
        public static readonly FunctionFacts NotFake = new(isFake: false, rewritable: null, display: string.Empty);

        private readonly Lazy<bool> canBecomeAsync;

        /// <param name="rewritable">The function to ask whether it can become async; null when its returns already rule it out.</param>
        public FunctionFacts(bool isFake, TaskFunction? rewritable, string display)
        {
            IsFake = isFake;
            canBecomeAsync = new Lazy<bool>(() => rewritable is { } function && CompilationAnalysis.CanBecomeAsync(function));
            Display = display;
        }

        /// <summary>A synchronous Task-returning function whose blocking calls are TA0004's.</summary>
        public bool IsFake { get; }

        /// <summary>Some return hands back a real task (or none returns at all): the calls block before any task exists.</summary>
        public bool ReturnsRealTask { get; set; }

        /// <summary>
        /// Whether adding <c>async</c> keeps the function compiling (<see cref="CompilationAnalysis.CanBecomeAsync"/>), worked
        /// out on first use, once, whichever thread asks.
        /// </summary>
        public bool CanBecomeAsync => canBecomeAsync.Value;

        public string Display { get; }
    }
}
