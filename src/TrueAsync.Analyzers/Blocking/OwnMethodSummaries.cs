using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// Source 3 of the model (docs/architecture.md, "Own methods"): which of the compilation's own synchronous methods block on I/O,
/// directly (a call the model knows, <c>db.Users.ToList()</c>, or <c>foreach</c> over an EF query) or through
/// other own methods at any depth, and by which chain.
/// <para>
/// Analyzers may not create semantic models (RS1030), so a body can only be read when the driver hands it
/// over. The summaries are therefore built in two phases: every rule that uses them registers
/// <see cref="RegisterCollection"/> at compilation start (through <see cref="Engine.TrueAsyncEngine.ForRule"/>), whose operation-block action records, once per method for all
/// rules together, the method's first direct blocking call and the own methods it calls; at compilation end
/// <see cref="Complete"/> follows the calls backwards from the directly blocking methods (one breadth-first
/// pass, cycles included) and keeps, per blocking method, the next hop of a shortest chain. Both phases are
/// linear in the size of the code. Answers exist only after <see cref="Complete"/>; before, every method is
/// reported as not blocking, so a rule never reports on a half-built graph.
/// </para>
/// </summary>
internal sealed class OwnMethodSummaries : IOwnMethodSummaries
{
    private readonly BlockingCallModel model;
    private readonly IAssemblySymbol assembly;
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<MethodFacts>> facts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> mayBlock = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> ownGettersWithBody = new(SymbolEqualityComparer.Default);
    private readonly object completionGate = new();
    private volatile Dictionary<IMethodSymbol, Hop>? hops;

    /// <summary>
    /// One instance per compilation, owned by <see cref="Engine.TrueAsyncEngine"/>: a method body is summarised once for
    /// all rules. The summaries honour the exclusion keys every rule reads; a rule's own key applies to a chain when the
    /// rule asks (<see cref="TryGetChain(IMethodSymbol, SyntaxTree?, string?, out BlockingChain)"/>).
    /// </summary>
    public OwnMethodSummaries(Compilation compilation, BlockingCallModel model)
    {
        this.model = model;
        assembly = compilation.Assembly;
    }

    /// <summary>
    /// Registers the collecting pass for the calling rule. Call <see cref="Complete"/> from that rule's compilation-end
    /// action before asking: by then this rule's pass has seen every body.
    /// </summary>
    public void RegisterCollection(CompilationStartAnalysisContext context)
        => context.RegisterOperationBlockAction(Collect);

    /// <summary>Whether <see cref="Complete"/> has run: only then do the other members answer.</summary>
    public bool IsComplete => hops is not null;

    /// <summary>Whether <paramref name="method"/> is declared in this compilation's source.</summary>
    public bool IsOwnMethod(IMethodSymbol method)
    {
        var definition = Normalize(method);
        return SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, assembly) && !definition.DeclaringSyntaxReferences.IsEmpty;
    }

    /// <summary>
    /// Whether a call to <paramref name="method"/> may turn out to block once the summaries are complete: one of this
    /// compilation's own synchronous methods (or getters) whose body the summaries read. Cheap; ask it before deferring.
    /// </summary>
    public bool MayBlock(IMethodSymbol method)
    {
        // Asked for every call in async code: the symbol checks are cheap, the syntax lookup for getters is not, and
        // the same methods are called again and again, so the answer is kept per method.
        // Library methods (most calls) stop at the assembly test; the lookup goes before GetOrAdd so that a known
        // answer allocates nothing (the factory captures this instance).
        var definition = Normalize(method);
        if (!SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, assembly))
        {
            return false;
        }

        if (mayBlock.TryGetValue(definition, out var known))
        {
            return known;
        }

        return mayBlock.GetOrAdd(definition, d => IsSummarised(d) && IsOwnMethodWithBody(d) && !(d.MethodKind == MethodKind.PropertyGet && IsAutoPropertyGetter(d)));
    }

    public bool IsBlocking(IMethodSymbol method) => TryGetChain(method, out _);

    /// <summary>
    /// The chain by which <paramref name="method"/> blocks, as <paramref name="ruleId"/> sees it from a call in
    /// <paramref name="tree"/>: false when a method on the chain, or the blocking call at its end, is excluded by that
    /// rule's <c>&lt;RuleId&gt;.excluded_methods</c> (the keys every rule reads were applied when the bodies were read).
    /// </summary>
    public bool TryGetChain(IMethodSymbol method, SyntaxTree? tree, string? ruleId, out BlockingChain chain)
    {
        if (!TryGetChain(method, out chain))
        {
            return false;
        }

        if (ruleId is null)
        {
            return true;
        }

        foreach (var onChain in chain.MethodSymbols)
        {
            if (model.IsExcludedByUser(onChain, tree, ruleId))
            {
                return false;
            }
        }

        return !model.IsExcludedByUser(chain.BlockingMethod, tree, ruleId);
    }

    /// <summary>The chain by which <paramref name="method"/> blocks, shortest first-found; false when it does not block.</summary>
    public bool TryGetChain(IMethodSymbol method, out BlockingChain chain)
    {
        chain = null!;
        var map = hops;
        if (method is null || map is null)
        {
            return false;
        }

        var current = Normalize(method);
        if (!map.TryGetValue(current, out var hop))
        {
            return false;
        }

        var names = ImmutableArray.CreateBuilder<string>();
        var symbols = ImmutableArray.CreateBuilder<IMethodSymbol>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        while (true)
        {
            names.Add(DisplayName(current));
            symbols.Add(current);
            if (hop.Next is null || !seen.Add(current) || !map.TryGetValue(hop.Next, out var next))
            {
                break;
            }

            current = hop.Next;
            hop = next;
        }

        var direct = hop.Direct ?? default;
        chain = new BlockingChain(names.ToImmutable(), direct.Member ?? "?", direct.Library ?? "?")
        {
            MethodSymbols = symbols.ToImmutable(),
            BlockingMethod = hop.DirectMethod,
        };
        return true;
    }

    /// <summary>
    /// Builds the answers from the facts collected so far. Call it from a compilation-end action: by then the
    /// calling rule's own operation-block actions have run for every method, so every body has been summarised
    /// (by this rule or by another one sharing the instance). Runs once; later calls return at once.
    /// </summary>
    public void Complete(CancellationToken cancellationToken)
    {
        if (hops is not null)
        {
            return;
        }

        lock (completionGate)
        {
            if (hops is not null)
            {
                return;
            }

            var known = new Dictionary<IMethodSymbol, MethodFacts>(SymbolEqualityComparer.Default);
            foreach (var pair in facts)
            {
                // Another rule may still be summarising this method: Value waits for it.
                known[pair.Key] = pair.Value.Value;
            }

            hops = Propagate(known, cancellationToken);
        }
    }

    /// <summary>Breadth-first from the directly blocking methods over reversed call edges.</summary>
    private static Dictionary<IMethodSymbol, Hop> Propagate(Dictionary<IMethodSymbol, MethodFacts> known, CancellationToken cancellationToken)
    {
        var callers = new Dictionary<IMethodSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        var distance = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        var queue = new Queue<IMethodSymbol>();
        foreach (var pair in known)
        {
            if (pair.Value.IsIterator)
            {
                continue;
            }

            if (pair.Value.Direct is not null)
            {
                distance[pair.Key] = 0;
                queue.Enqueue(pair.Key);
            }

            foreach (var callee in pair.Value.Callees)
            {
                if (!callers.TryGetValue(callee, out var list))
                {
                    callers[callee] = list = new List<IMethodSymbol>();
                }

                list.Add(pair.Key);
            }
        }

        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var callee = queue.Dequeue();
            if (!callers.TryGetValue(callee, out var list))
            {
                continue;
            }

            var next = distance[callee] + 1;
            foreach (var caller in list)
            {
                if (!distance.ContainsKey(caller) && known.TryGetValue(caller, out var callerFacts) && !callerFacts.IsIterator)
                {
                    distance[caller] = next;
                    queue.Enqueue(caller);
                }
            }
        }

        // The next hop is the first callee, in source order, on a shortest chain: the same answer on every run.
        var result = new Dictionary<IMethodSymbol, Hop>(SymbolEqualityComparer.Default);
        foreach (var pair in distance)
        {
            var methodFacts = known[pair.Key];
            if (pair.Value == 0)
            {
                result[pair.Key] = new Hop(null, methodFacts.Direct, methodFacts.DirectMethod);
                continue;
            }

            foreach (var callee in methodFacts.Callees)
            {
                if (distance.TryGetValue(callee, out var calleeDistance) && calleeDistance == pair.Value - 1)
                {
                    result[pair.Key] = new Hop(callee, null, null);
                    break;
                }
            }
        }

        return result;
    }

    private void Collect(OperationBlockAnalysisContext context)
    {
        if (hops is not null || context.OwningSymbol is not IMethodSymbol method || !IsSummarised(method))
        {
            return;
        }

        // Every rule that reports through the summaries registers this action: the first one reads the body, the
        // others find it read (or wait for the reader).
        var key = Normalize(method);
        if (facts.TryGetValue(key, out var known))
        {
            _ = known.Value;
            return;
        }

        var blocks = context.OperationBlocks;
        var cancellationToken = context.CancellationToken;
        var lazy = facts.GetOrAdd(key, _ => new Lazy<MethodFacts>(() => Summarise(blocks, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
        _ = lazy.Value;
    }

    /// <summary>Synchronous methods only: a method returning a task hands its caller something to await, not a blocked thread.</summary>
    private static bool IsSummarised(IMethodSymbol method)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet
            && !method.IsAsync
            && !IsAwaitable(method.ReturnType);

    private static bool IsAwaitable(ITypeSymbol type)
    {
        if (type.SpecialType != SpecialType.None || type is not INamedTypeSymbol named)
        {
            return false;
        }

        if (named.Name == "IAsyncEnumerable" && named.Arity == 1)
        {
            return true;
        }

        foreach (var member in named.GetMembers("GetAwaiter"))
        {
            if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0 })
            {
                return true;
            }
        }

        return false;
    }

    private MethodFacts Summarise(ImmutableArray<IOperation> blocks, CancellationToken cancellationToken)
    {
        var builder = new FactsBuilder();
        var stack = new Stack<IOperation>();
        foreach (var block in blocks)
        {
            if (block is not IParameterInitializerOperation)
            {
                Walk(block, builder, stack, cancellationToken);
            }
        }

        return builder.ToFacts();
    }

    /// <summary>
    /// Every body of the compilation's synchronous methods passes here once, so the walk switches on
    /// <see cref="IOperation.Kind"/> and casts only the few kinds it reads (docs/architecture.md, "Speed").
    /// </summary>
    private void Walk(IOperation root, FactsBuilder builder, Stack<IOperation> stack, CancellationToken cancellationToken)
    {
        stack.Push(root);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var operation = stack.Pop();
            switch (operation.Kind)
            {
                case OperationKind.AnonymousFunction:
                    // A lambda's body runs when the lambda is invoked, not when the method is.
                    continue;
                case OperationKind.LocalFunction:
                    SummariseLocalFunction((ILocalFunctionOperation)operation, cancellationToken);
                    continue;
                case OperationKind.YieldReturn or OperationKind.YieldBreak:
                    builder.IsIterator = true;
                    break;
                case OperationKind.Invocation:
                    Record((IInvocationOperation)operation, builder);
                    break;
                case OperationKind.PropertyReference:
                    RecordProperty((IPropertyReferenceOperation)operation, builder);
                    break;
                case OperationKind.Loop when builder.Direct is null && operation is IForEachLoopOperation loop
                    && model.TryGetForEachCounterpart(loop, out var loopCounterpart):
                    builder.Direct = (loopCounterpart.BlockingMember, loopCounterpart.Library);
                    break;
            }

            // Children pushed in reverse so that they are visited in source order (the first blocking call is named).
            foreach (var child in operation.ChildOperations.Reverse())
            {
                stack.Push(child);
            }
        }
    }

    private void SummariseLocalFunction(ILocalFunctionOperation local, CancellationToken cancellationToken)
    {
        if (!IsSummarised(local.Symbol))
        {
            return;
        }

        var body = (IOperation?)local.Body ?? local.IgnoredBody;
        if (body is null)
        {
            return;
        }

        var key = Normalize(local.Symbol);
        _ = facts.GetOrAdd(key, _ => new Lazy<MethodFacts>(
            () =>
            {
                var builder = new FactsBuilder();
                Walk(body, builder, new Stack<IOperation>(), cancellationToken);
                return builder.ToFacts();
            },
            LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private void Record(IInvocationOperation invocation, FactsBuilder builder)
    {
        var callee = invocation.TargetMethod;
        var definition = Normalize(callee);
        if (IsOwnMethodWithBody(definition))
        {
            // Follow the body, not the name: an own method blocks when its body does.
            if (!model.IsExcludedByUser(definition, invocation.Syntax.SyntaxTree))
            {
                builder.AddCallee(definition);
            }

            return;
        }

        if (builder.Direct is null && model.TryGetCounterpart(invocation, out var counterpart))
        {
            builder.Direct = (counterpart.BlockingMember, counterpart.Library);
            builder.DirectMethod = callee;
        }
        else if (builder.Direct is null && model.IsDeclaredBlocking(invocation, ruleId: null))
        {
            // Declared blocking in .editorconfig (trueasync.blocking_methods): no counterpart, but it blocks its callers.
            builder.Direct = (callee.Name, model.GetLibraryLabel(callee));
            builder.DirectMethod = callee;
        }
    }

    private void RecordProperty(IPropertyReferenceOperation property, FactsBuilder builder)
    {
        // A getter that queries (repo.ActiveCount => db.Users.Count()) blocks whoever reads it.
        if (property.Property.GetMethod is not { } getter || IsWritten(property))
        {
            return;
        }

        var definition = Normalize(getter);
        if (IsOwnGetterWithBody(definition) && !model.IsExcludedByUser(definition, property.Syntax.SyntaxTree))
        {
            builder.AddCallee(definition);
        }
    }

    /// <summary>An own getter with a body to follow; most property reads are of auto-properties, and the syntax lookup is kept per getter.</summary>
    private bool IsOwnGetterWithBody(IMethodSymbol getter)
        => IsOwnMethodWithBody(getter)
            && (ownGettersWithBody.TryGetValue(getter, out var known) ? known : ownGettersWithBody.GetOrAdd(getter, static g => !IsAutoPropertyGetter(g)));

    /// <summary><c>{ get; }</c> reads a field: no body to follow, and most property reads are of this kind.</summary>
    private static bool IsAutoPropertyGetter(IMethodSymbol getter)
    {
        foreach (var reference in getter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is AccessorDeclarationSyntax { Body: null, ExpressionBody: null })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWritten(IPropertyReferenceOperation property)
        => property.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, property)
            && assignment is not ICompoundAssignmentOperation and not ICoalesceAssignmentOperation;

    // The assembly test first: most calls go to libraries, and DeclaringSyntaxReferences allocates for source symbols.
    private bool IsOwnMethodWithBody(IMethodSymbol definition)
        => !definition.IsAbstract
            && !definition.IsExtern
            && SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, assembly)
            && !definition.DeclaringSyntaxReferences.IsEmpty
            && (!definition.IsPartialDefinition || definition.PartialImplementationPart is not null);

    /// <summary>One key per method: unreduced, not constructed, the defining part of a partial method.</summary>
    private static IMethodSymbol Normalize(IMethodSymbol method)
    {
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        return definition.PartialDefinitionPart ?? definition;
    }

    private static string DisplayName(IMethodSymbol method)
        => method.MethodKind == MethodKind.PropertyGet && method.AssociatedSymbol is { } property ? property.Name : method.Name;

    private readonly struct Hop
    {
        public Hop(IMethodSymbol? next, (string Member, string Library)? direct, IMethodSymbol? directMethod)
        {
            Next = next;
            Direct = direct;
            DirectMethod = directMethod;
        }

        public IMethodSymbol? DirectMethod { get; }

        public IMethodSymbol? Next { get; }

        public (string? Member, string? Library)? Direct { get; }
    }

    private sealed class FactsBuilder
    {
        private List<IMethodSymbol>? callees;
        private HashSet<IMethodSymbol>? seen;

        public (string Member, string Library)? Direct { get; set; }

        public IMethodSymbol? DirectMethod { get; set; }

        public bool IsIterator { get; set; }

        public void AddCallee(IMethodSymbol callee)
        {
            seen ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            if (seen.Add(callee))
            {
                (callees ??= new List<IMethodSymbol>()).Add(callee);
            }
        }

        public MethodFacts ToFacts()
            => new(IsIterator ? null : Direct, IsIterator ? null : DirectMethod, IsIterator || callees is null ? ImmutableArray<IMethodSymbol>.Empty : callees.ToImmutableArray(), IsIterator);
    }

    private sealed class MethodFacts
    {
        public MethodFacts((string Member, string Library)? direct, IMethodSymbol? directMethod, ImmutableArray<IMethodSymbol> callees, bool isIterator)
        {
            Direct = direct;
            DirectMethod = directMethod;
            Callees = callees;
            IsIterator = isIterator;
        }

        /// <summary>The first call in the body that blocks by itself, as the message names it.</summary>
        public (string Member, string Library)? Direct { get; }

        /// <summary>The method of <see cref="Direct"/> (null for a <c>foreach</c>), for a rule's own exclusions.</summary>
        public IMethodSymbol? DirectMethod { get; }

        /// <summary>Own methods (and getters) the body calls, in source order, each once.</summary>
        public ImmutableArray<IMethodSymbol> Callees { get; }

        public bool IsIterator { get; }
    }
}

/// <summary>How an own method blocks: <c>'Report' -&gt; 'LoadAll' blocks on 'ToList' (EF Core)</c>.</summary>
internal sealed class BlockingChain
{
    public BlockingChain(ImmutableArray<string> methods, string blockingMember, string library)
    {
        Methods = methods;
        BlockingMember = blockingMember;
        Library = library;
    }

    /// <summary>The own methods from the called one to the one that blocks directly.</summary>
    public ImmutableArray<string> Methods { get; }

    /// <summary>The call that blocks at the end of the chain: <c>ToList</c>, <c>foreach</c>.</summary>
    public string BlockingMember { get; }

    public string Library { get; }

    /// <summary>The own methods of <see cref="Methods"/>, as symbols.</summary>
    public ImmutableArray<IMethodSymbol> MethodSymbols { get; set; } = ImmutableArray<IMethodSymbol>.Empty;

    /// <summary>The method of the blocking call at the end of the chain; null for a <c>foreach</c>.</summary>
    public IMethodSymbol? BlockingMethod { get; set; }

    /// <summary>Chains longer than this show their two ends around an ellipsis.</summary>
    private const int MaxShown = 4;

    public override string ToString()
    {
        var shown = new List<string>(MaxShown);
        for (var i = 0; i < Methods.Length; i++)
        {
            if (Methods.Length > MaxShown && i >= 2 && i < Methods.Length - 1)
            {
                if (i == 2)
                {
                    shown.Add("...");
                }

                continue;
            }

            shown.Add("'" + Methods[i] + "'");
        }

        return string.Join(" -> ", shown) + " blocks on '" + BlockingMember + "' (" + Library + ")";
    }
}
