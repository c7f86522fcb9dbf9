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
using TrueAsync.Analyzers.Shared;

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
    private readonly Compilation compilation;
    private IAssemblySymbol? assembly;
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<MethodFacts>> facts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> mayBlock = new(DefinitionKeys.Instance);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> ownGettersWithBody = new(DefinitionKeys.Instance);
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
        this.compilation = compilation;
    }

    /// <summary>
    /// The compilation's own assembly, read on the first question from an analysis action. The engine is made at
    /// compilation start, when the compiler may not have bound the references yet; reading <see cref="Compilation.Assembly"/>
    /// there made the first TrueAsync analyzer bind them and be charged for it (docs/architecture.md, "Speed": nothing
    /// resolved at compilation start).
    /// </summary>
    private IAssemblySymbol Assembly => assembly ??= compilation.Assembly;

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
        return SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, Assembly) && !definition.DeclaringSyntaxReferences.IsEmpty;
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
        if (!SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, Assembly))
        {
            return false;
        }

        // In async code most own callees are async themselves: the flags IsSummarised tests first are read before the lookup.
        if (definition.IsAsync || definition.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet))
        {
            return false;
        }

        if (mayBlock.TryGetValue(definition, out var known))
        {
            return known;
        }

        return mayBlock.GetOrAdd(
            definition,
            d => IsSummarised(d)
                && ((IsOwnMethodWithBody(d) && !(d.MethodKind == MethodKind.PropertyGet && IsAutoPropertyGetter(d))) || IsOwnBodilessMember(d)));
    }

    public bool IsBlocking(IMethodSymbol method) => TryGetChain(method, out _);

    /// <summary>
    /// Whether <paramref name="method"/>'s body has been read already and can never block, whatever the rest of the code
    /// does: it makes no blocking call and calls no own method (or it is an iterator). A call to it need not be kept for
    /// compilation end. False when the body has not been read yet, so the answer depends on the order of analysis but the
    /// diagnostics do not.
    /// </summary>
    public bool IsKnownNotToBlock(IMethodSymbol method)
        => facts.TryGetValue(Normalize(method), out var lazy)
            && lazy.IsValueCreated
            && lazy.Value is { } known
            && (known.IsIterator || (known.Direct is null && known.Callees.IsEmpty));

    /// <summary>
    /// Whether <paramref name="method"/> is one of this compilation's own synchronous methods (or getters) with a body that
    /// returns <c>IQueryable&lt;T&gt;</c> or <c>IEnumerable&lt;T&gt;</c>: it may hand its caller an EF query to run. Cheap.
    /// </summary>
    public bool MayReturnQuery(IMethodSymbol method)
    {
        var definition = Normalize(method);
        return IsSummarised(definition) && ReturnsSequence(definition) && IsOwnMethodWithBody(definition);
    }

    /// <summary>
    /// Whether every value <paramref name="method"/> returns is an EF query (<c>return _db.Orders.Where(…);</c>), not run
    /// yet: its caller runs it when it materialises the result. Known once the bodies have been read (compilation end).
    /// </summary>
    public bool ReturnsEfQuery(IMethodSymbol method)
        => hops is not null && facts.TryGetValue(Normalize(method), out var lazy) && lazy.Value.ReturnsEfQuery;

    private bool ReturnsSequence(IMethodSymbol method)
        => method.ReturnType is INamedTypeSymbol { Arity: 1 } type
            && (type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, model.Types.Queryable));

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
        var implementation = false;
        while (true)
        {
            // Through an interface or abstract member the chain names the type too: 'IOrderService.Exists' -> 'OrderService.Exists'.
            names.Add(implementation || hop.IsDispatch ? QualifiedName(current) : DisplayName(current));
            implementation = hop.IsDispatch;
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

            hops = Propagate(known, FindDispatch(known, cancellationToken), cancellationToken);
        }
    }

    /// <summary>
    /// The members called through dispatch (interface, abstract, virtual) and their implementations in source, found once:
    /// only when such a member was called from a body the summaries read or asked about by a rule (<see cref="MayBlock"/>).
    /// </summary>
    private Dispatch FindDispatch(Dictionary<IMethodSymbol, MethodFacts> known, CancellationToken cancellationToken)
    {
        var called = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var pair in known)
        {
            foreach (var callee in pair.Value.Callees)
            {
                if (OwnMethodDispatch.IsDispatching(callee))
                {
                    called.Add(callee);
                }
            }
        }

        foreach (var pair in mayBlock)
        {
            if (pair.Value && OwnMethodDispatch.IsDispatching(pair.Key))
            {
                called.Add(pair.Key);
            }
        }

        if (called.Count == 0)
        {
            return Dispatch.None;
        }

        var interfaceMembers = new List<IMethodSymbol>();
        foreach (var member in called)
        {
            if (member.ContainingType.TypeKind == TypeKind.Interface)
            {
                interfaceMembers.Add(member);
            }
        }

        var external = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var implementations = OwnMethodDispatch.FindImplementations(compilation, interfaceMembers, external, cancellationToken);
        return new Dispatch(implementations, external);
    }

    /// <summary>
    /// Breadth-first from the directly blocking methods over reversed call edges. An ordinary method blocks when one
    /// callee does (or its body blocks directly); a member called through dispatch (<see cref="OwnMethodDispatch"/>) blocks
    /// when its own body, if it has one, and every implementation block, and there is at least one of them, and no
    /// implementation may be elsewhere (docs/architecture.md, "Own methods").
    /// </summary>
    private Dictionary<IMethodSymbol, Hop> Propagate(Dictionary<IMethodSymbol, MethodFacts> known, Dispatch dispatch, CancellationToken cancellationToken)
    {
        var callers = new Dictionary<IMethodSymbol, List<(IMethodSymbol Caller, bool ViaImplementation)>>(SymbolEqualityComparer.Default);
        var distance = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        var queue = new Queue<IMethodSymbol>();

        // Per dispatching member: how many parts (its body, each implementation) are still to block; absent when it cannot block.
        var missing = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        var bodyBlocks = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var member in dispatch.Members(known))
        {
            var hasBody = known.TryGetValue(member, out var memberFacts);
            if (hasBody && memberFacts!.IsIterator)
            {
                continue;
            }

            var implementations = dispatch.ImplementationsOf(member);
            if (dispatch.External.Contains(member)
                || (!hasBody && OwnMethodDispatch.MayBeImplementedElsewhere(compilation, member))
                || (!hasBody && implementations.Count == 0))
            {
                missing[member] = int.MaxValue;
                continue;
            }

            missing[member] = (hasBody ? 1 : 0) + implementations.Count;
            foreach (var implementation in implementations)
            {
                AddCaller(callers, implementation, member, viaImplementation: true);
            }
        }

        foreach (var pair in known)
        {
            if (pair.Value.IsIterator)
            {
                continue;
            }

            if (pair.Value.Direct is not null && Satisfy(pair.Key, viaImplementation: false))
            {
                distance[pair.Key] = 0;
                queue.Enqueue(pair.Key);
            }

            foreach (var callee in pair.Value.Callees)
            {
                AddCaller(callers, callee, pair.Key, viaImplementation: false);
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
            foreach (var (caller, viaImplementation) in list)
            {
                if (distance.ContainsKey(caller))
                {
                    continue;
                }

                if (!viaImplementation && (!known.TryGetValue(caller, out var callerFacts) || callerFacts.IsIterator))
                {
                    continue;
                }

                if (Satisfy(caller, viaImplementation))
                {
                    distance[caller] = next;
                    queue.Enqueue(caller);
                }
            }
        }

        // The next hop: the direct blocking call, else the first callee in source order among the nearest blocking ones;
        // for a member without a body, its first implementation in source order. Each hop is nearer: chains end.
        var result = new Dictionary<IMethodSymbol, Hop>(SymbolEqualityComparer.Default);
        foreach (var pair in distance)
        {
            if (!known.TryGetValue(pair.Key, out var methodFacts))
            {
                foreach (var implementation in dispatch.ImplementationsOf(pair.Key))
                {
                    if (distance.TryGetValue(implementation, out var implementationDistance) && implementationDistance < pair.Value)
                    {
                        result[pair.Key] = new Hop(implementation, null, null, isDispatch: true);
                        break;
                    }
                }

                continue;
            }

            if (methodFacts.Direct is not null)
            {
                result[pair.Key] = new Hop(null, methodFacts.Direct, methodFacts.DirectMethod, isDispatch: false);
                continue;
            }

            IMethodSymbol? nearest = null;
            var nearestDistance = int.MaxValue;
            foreach (var callee in methodFacts.Callees)
            {
                if (distance.TryGetValue(callee, out var calleeDistance) && calleeDistance < nearestDistance)
                {
                    nearest = callee;
                    nearestDistance = calleeDistance;
                }
            }

            if (nearest is not null)
            {
                result[pair.Key] = new Hop(nearest, null, null, isDispatch: false);
            }
        }

        return result;

        // Records that one part of method blocks (its body, or one implementation); true when the method now blocks.
        bool Satisfy(IMethodSymbol method, bool viaImplementation)
        {
            if (!missing.TryGetValue(method, out var count))
            {
                return !viaImplementation;
            }

            if (count == int.MaxValue || (!viaImplementation && !bodyBlocks.Add(method)))
            {
                return false;
            }

            missing[method] = --count;
            return count == 0;
        }
    }

    private static void AddCaller(Dictionary<IMethodSymbol, List<(IMethodSymbol, bool)>> callers, IMethodSymbol callee, IMethodSymbol caller, bool viaImplementation)
    {
        if (!callers.TryGetValue(callee, out var list))
        {
            callers[callee] = list = new List<(IMethodSymbol, bool)>();
        }

        list.Add((caller, viaImplementation));
    }

    private void Collect(OperationBlockAnalysisContext context)
    {
        if (hops is not null || context.OwningSymbol is not IMethodSymbol method || !IsSynchronousKind(method))
        {
            return;
        }

        // Every rule that reports through the summaries registers this action: the first one reads the body, the
        // others find it read or being read and go on. They do not wait for the reader: in a concurrent build the wait
        // would be charged to their own time, once per rule. Complete waits for a body still being read. The lookup
        // goes before the return type's members are read (IsSummarised): the second and third rule stop at it.
        var key = Normalize(method);
        if (facts.ContainsKey(key) || IsAwaitable(method.ReturnType))
        {
            return;
        }

        Read(key, context.OperationBlocks, ReturnsSequence(key), context.CancellationToken);
    }

    /// <summary>
    /// Reads one body, unless another rule's action got there first. A method of its own: the lambda's captured variables
    /// would otherwise be allocated on every call of <see cref="Collect"/>, before its early returns.
    /// </summary>
    private void Read(IMethodSymbol key, ImmutableArray<IOperation> blocks, bool tracksQuery, CancellationToken cancellationToken)
    {
        var created = new Lazy<MethodFacts>(() => Summarise(blocks, tracksQuery, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
        if (ReferenceEquals(facts.GetOrAdd(key, created), created))
        {
            _ = created.Value;
        }
    }

    /// <summary>Synchronous methods only: a method returning a task hands its caller something to await, not a blocked thread.</summary>
    private static bool IsSummarised(IMethodSymbol method) => IsSynchronousKind(method) && !IsAwaitable(method.ReturnType);

    /// <summary>The part of <see cref="IsSummarised"/> that reads only the method's own flags.</summary>
    private static bool IsSynchronousKind(IMethodSymbol method)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet && !method.IsAsync;

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

    private MethodFacts Summarise(ImmutableArray<IOperation> blocks, bool tracksQuery, CancellationToken cancellationToken)
    {
        var builder = new FactsBuilder { TracksQuery = tracksQuery };
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
                case OperationKind.Return when builder.TracksQuery:
                    // Returns an EF query its caller will run (docs/rules/TA0003.md, "Queries returned by own methods").
                    builder.AddReturn(((IReturnOperation)operation).ReturnedValue is { } value && model.IsEfQuery(value));
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
            // Leaves the switch above ignores (most operations are these) are not pushed at all.
            foreach (var child in operation.ChildOperations.Reverse())
            {
                if (child.Kind is not (OperationKind.Literal or OperationKind.LocalReference or OperationKind.ParameterReference or OperationKind.InstanceReference))
                {
                    stack.Push(child);
                }
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
        if (IsOwnMethodWithBody(definition) || IsOwnBodilessMember(definition))
        {
            // Follow the body, not the name: an own method blocks when its body does (through an interface or abstract
            // member, when its implementations do).
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
        if ((IsOwnGetterWithBody(definition) || IsOwnBodilessMember(definition))
            && !model.IsExcludedByUser(definition, property.Syntax.SyntaxTree))
        {
            builder.AddCallee(definition);
        }
    }

    /// <summary>
    /// An own getter with a body to follow. Most property reads are of a library's properties (the assembly test) or of
    /// auto-properties; the rest of the answer, which reads the declarations, is kept per getter.
    /// </summary>
    private bool IsOwnGetterWithBody(IMethodSymbol getter)
        => SymbolEqualityComparer.Default.Equals(getter.ContainingAssembly, Assembly)
            && (ownGettersWithBody.TryGetValue(getter, out var known)
                ? known
                : ownGettersWithBody.GetOrAdd(getter, g => IsOwnMethodWithBody(g) && !IsAutoPropertyGetter(g)));

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
            && SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, Assembly)
            && !definition.DeclaringSyntaxReferences.IsEmpty
            && (!definition.IsPartialDefinition || definition.PartialImplementationPart is not null);

    /// <summary>An interface or abstract member declared in this compilation: it blocks when its implementations do.</summary>
    private bool IsOwnBodilessMember(IMethodSymbol definition)
        => definition.IsAbstract
            && !definition.IsStatic
            && !definition.DeclaringSyntaxReferences.IsEmpty
            && SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, Assembly);

    /// <summary>One key per method: unreduced, not constructed, the defining part of a partial method.</summary>
    internal static IMethodSymbol Normalize(IMethodSymbol method)
    {
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        return definition.PartialDefinitionPart ?? definition;
    }

    private static string DisplayName(IMethodSymbol method)
        => method.MethodKind == MethodKind.PropertyGet && method.AssociatedSymbol is { } property ? property.Name : method.Name;

    private static string QualifiedName(IMethodSymbol method) => method.ContainingType.Name + "." + DisplayName(method);

    /// <summary>The members called through dispatch and their implementations in source (<see cref="OwnMethodDispatch"/>).</summary>
    private sealed class Dispatch
    {
        public static readonly Dispatch None = new(
            new Dictionary<IMethodSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default),
            new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));

        private static readonly List<IMethodSymbol> NoImplementations = new();

        private readonly Dictionary<IMethodSymbol, List<IMethodSymbol>> implementations;

        public Dispatch(Dictionary<IMethodSymbol, List<IMethodSymbol>> implementations, HashSet<IMethodSymbol> external)
        {
            this.implementations = implementations;
            External = external;
        }

        /// <summary>Members with an implementation outside this compilation's source.</summary>
        public HashSet<IMethodSymbol> External { get; }

        public List<IMethodSymbol> ImplementationsOf(IMethodSymbol member)
            => implementations.TryGetValue(member, out var list) ? list : NoImplementations;

        /// <summary>Every dispatching member the propagation must treat as such: called ones, overridden ones, and own ones with a body.</summary>
        public IEnumerable<IMethodSymbol> Members(Dictionary<IMethodSymbol, MethodFacts> known)
        {
            if (implementations.Count == 0 && External.Count == 0)
            {
                yield break;
            }

            var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            foreach (var member in implementations.Keys)
            {
                if (seen.Add(member))
                {
                    yield return member;
                }
            }

            foreach (var member in External)
            {
                if (seen.Add(member))
                {
                    yield return member;
                }
            }

            foreach (var member in known.Keys)
            {
                if (OwnMethodDispatch.IsDispatching(member) && seen.Add(member))
                {
                    yield return member;
                }
            }
        }
    }

    private readonly struct Hop
    {
        public Hop(IMethodSymbol? next, (string Member, string Library)? direct, IMethodSymbol? directMethod, bool isDispatch)
        {
            Next = next;
            Direct = direct;
            DirectMethod = directMethod;
            IsDispatch = isDispatch;
        }

        /// <summary>The next hop is an implementation of this member (interface or abstract).</summary>
        public bool IsDispatch { get; }

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

        /// <summary>The function returns <c>IQueryable&lt;T&gt;</c> or <c>IEnumerable&lt;T&gt;</c>: its returned values are examined.</summary>
        public bool TracksQuery { get; set; }

        private int queryReturns;
        private bool otherReturns;

        public void AddReturn(bool isEfQuery)
        {
            if (isEfQuery)
            {
                queryReturns++;
            }
            else
            {
                otherReturns = true;
            }
        }

        public void AddCallee(IMethodSymbol callee)
        {
            seen ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            if (seen.Add(callee))
            {
                (callees ??= new List<IMethodSymbol>()).Add(callee);
            }
        }

        public MethodFacts ToFacts()
            => new(IsIterator ? null : Direct, IsIterator ? null : DirectMethod, IsIterator || callees is null ? ImmutableArray<IMethodSymbol>.Empty : callees.ToImmutableArray(), IsIterator)
            {
                ReturnsEfQuery = !IsIterator && queryReturns > 0 && !otherReturns,
            };
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

        /// <summary>Every value the function returns is an EF query that is not run yet.</summary>
        public bool ReturnsEfQuery { get; set; }
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
