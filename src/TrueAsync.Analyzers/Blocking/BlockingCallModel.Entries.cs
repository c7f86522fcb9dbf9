using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>The per-method part of the answer: computed once per method definition, then cached.</summary>
internal sealed partial class BlockingCallModel
{
    private MethodEntry GetEntry(IMethodSymbol method)
    {
        // Asked for nearly every call, by several rules: the names that never have an entry (XAsync itself, Dispose,
        // ToString, …) are answered before the dictionary, whose lookup is the cost of this question (docs/architecture.md, "Speed").
        var name = method.Name;
        if (name.EndsWith("Async", StringComparison.Ordinal) || IsNeverReportedName(name))
        {
            return MethodEntry.None;
        }

        // Reduced extension calls and generic instantiations share one entry: the unreduced definition.
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        if (entries.TryGetValue(definition, out var cached))
        {
            return cached;
        }

        return entries.GetOrAdd(definition, ComputeEntry(definition));
    }

    private MethodEntry ComputeEntry(IMethodSymbol method)
    {
        var name = method.Name;
        var type = method.ContainingType;
        if (method.MethodKind != MethodKind.Ordinary || type is null
            || IsNeverReportedName(name)
            || name.EndsWith("Async", StringComparison.Ordinal)
            || !MayHaveCounterpart(type, name)
            || IsNeverReported(type, name)
            || IsAwaitableOrStream(method.ReturnType))
        {
            return MethodEntry.None;
        }

        // The user's counterparts (.editorconfig) come first: they know their own libraries best.
        if (TryGetUserCounterpart(method, out var userAsync))
        {
            var kind = userAsync.IsStatic && !userAsync.IsExtensionMethod && !SymbolEqualityComparer.Default.Equals(userAsync.ContainingType, type)
                ? CounterpartKind.StaticReplacement
                : CounterpartKind.Rename;
            var candidates = CollectCandidates(method, new ISymbol[] { userAsync }, relaxQueryableSource: false);
            return new MethodEntry(candidates, kind, GetLibrary(type), requiresEfQuery: false, isSemaphoreWait: false);
        }

        // 1. The built-in catalog.
        if (Types.StaticReplacements.TryGetValue(type, out var replacements) && replacements.TryGetValue(name, out var replacement))
        {
            var candidates = CollectCandidates(method, LookupStatic(replacement.AsyncType, replacement.AsyncMethod), relaxQueryableSource: false);
            return new MethodEntry(candidates, CounterpartKind.StaticReplacement, GetLibrary(type), requiresEfQuery: false, isSemaphoreWait: false);
        }

        if (Types.RenamedCounterparts.TryGetValue(type, out var renamed) && renamed.TryGetValue(name, out var asyncName))
        {
            var candidates = CollectCandidates(method, LookupInHierarchy(type, name, asyncName), relaxQueryableSource: false);
            return new MethodEntry(candidates, CounterpartKind.Rename, GetLibrary(type), requiresEfQuery: false, isSemaphoreWait: false);
        }

        if (SymbolEqualityComparer.Default.Equals(type, Types.LinqEnumerable) || SymbolEqualityComparer.Default.Equals(type, Types.LinqQueryable))
        {
            // In-memory LINQ never blocks; an EF query does, and its twins live in EntityFrameworkQueryableExtensions.
            if (Types.EfQueryableExtensions is null || !BlockingCatalog.EfMaterializers.Contains(name))
            {
                return MethodEntry.None;
            }

            var candidates = CollectCandidates(method, Types.EfQueryableExtensions.GetMembers(name + "Async"), relaxQueryableSource: true);
            return new MethodEntry(candidates, CounterpartKind.Rename, "EF Core", requiresEfQuery: true, isSemaphoreWait: false);
        }

        if (Types.AdoInterfaceToClass.TryGetValue(type, out var adoClass))
        {
            var candidates = CollectCandidates(method, LookupInHierarchy(adoClass, name), relaxQueryableSource: false);
            return new MethodEntry(candidates, CounterpartKind.CastReceiver, "ADO.NET", requiresEfQuery: false, isSemaphoreWait: false);
        }

        // 2. Name lookup: XAsync on the same type or a base type (interfaces: base interfaces), or in the
        // same static class for extension methods (Dapper's SqlMapper, EF's RelationalDatabaseFacadeExtensions).
        var found = CollectCandidates(method, LookupInHierarchy(type, name), relaxQueryableSource: false);
        if (found.IsEmpty)
        {
            // Most methods: nothing to name, so the library label (which reads the type's locations) is not computed.
            return MethodEntry.None;
        }

        var isSemaphoreWait = name == "Wait" && SymbolEqualityComparer.Default.Equals(type, Types.SemaphoreSlim);
        return new MethodEntry(found, CounterpartKind.Rename, GetLibrary(type), requiresEfQuery: false, isSemaphoreWait);
    }

    /// <summary>
    /// Whether any source of counterparts can name one for <paramref name="name"/> on <paramref name="type"/>: the user's
    /// entries, the catalog, or an <c>XAsync</c>/<c>XTaskAsync</c> member in the type's hierarchy. Most methods a
    /// compilation calls have none; for them the entry is settled by names alone, before any member of a library type is
    /// loaded or any candidate is built (docs/architecture.md, "Speed").
    /// </summary>
    private bool MayHaveCounterpart(INamedTypeSymbol type, string name)
    {
        if (userCounterparts.Value.ByBlocking.Count > 0
            || Types.StaticReplacements.ContainsKey(type)
            || Types.RenamedCounterparts.ContainsKey(type)
            || SymbolEqualityComparer.Default.Equals(type, Types.LinqEnumerable)
            || SymbolEqualityComparer.Default.Equals(type, Types.LinqQueryable)
            || Types.AdoInterfaceToClass.ContainsKey(type))
        {
            return true;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (GetAsyncNames(current).Contains(name))
            {
                return true;
            }
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            foreach (var baseInterface in type.AllInterfaces)
            {
                if (GetAsyncNames(baseInterface).Contains(name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The names <c>X</c> for which <paramref name="type"/> itself declares <c>XAsync</c> or <c>XTaskAsync</c>, read from its
    /// member names (which loads no member symbol), once per type.
    /// </summary>
    private HashSet<string> GetAsyncNames(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        if (asyncNames.TryGetValue(definition, out var known))
        {
            return known;
        }

        HashSet<string>? names = null;
        foreach (var member in definition.MemberNames)
        {
            if (member.EndsWith("Async", StringComparison.Ordinal))
            {
                names ??= new HashSet<string>(StringComparer.Ordinal);
                names.Add(member.Substring(0, member.Length - "Async".Length));
                if (member.EndsWith("TaskAsync", StringComparison.Ordinal))
                {
                    names.Add(member.Substring(0, member.Length - "TaskAsync".Length));
                }
            }
        }

        return asyncNames.GetOrAdd(definition, names ?? NoAsyncNames);
    }

    private static readonly HashSet<string> NoAsyncNames = new(StringComparer.Ordinal);

    /// <summary><see cref="BlockingCatalog.NeverReportedNames"/> as a hash set: asked for every call, where the immutable set's tree walk shows.</summary>
    private static readonly HashSet<string> NeverReportedNames = new(BlockingCatalog.NeverReportedNames, StringComparer.Ordinal);

    private static bool IsNeverReportedName(string name) => NeverReportedNames.Contains(name);

    private bool IsNeverReported(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            var definition = current.OriginalDefinition;
            if (Types.NeverReportedTypes.Contains(definition)
                || (Types.NeverReportedMethods.TryGetValue(definition, out var names) && names.Contains(name)))
            {
                return true;
            }
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            foreach (var baseInterface in type.AllInterfaces)
            {
                if (Types.NeverReportedTypes.Contains(baseInterface.OriginalDefinition) && !baseInterface.GetMembers(name).IsEmpty)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static IEnumerable<ISymbol> LookupStatic(INamedTypeSymbol type, string name) => type.GetMembers(name);

    private static IEnumerable<ISymbol> LookupInHierarchy(INamedTypeSymbol type, string name)
        => LookupInHierarchy(type, name + "Async", name + "TaskAsync");

    private static IEnumerable<ISymbol> LookupInHierarchy(INamedTypeSymbol type, params string[] asyncNames)
    {
        foreach (var asyncName in asyncNames)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(asyncName))
                {
                    yield return member;
                }
            }

            if (type.TypeKind == TypeKind.Interface)
            {
                foreach (var baseInterface in type.AllInterfaces)
                {
                    foreach (var member in baseInterface.GetMembers(asyncName))
                    {
                        yield return member;
                    }
                }
            }
        }
    }

    private ImmutableArray<Candidate> CollectCandidates(IMethodSymbol sync, IEnumerable<ISymbol> members, bool relaxQueryableSource)
    {
        ImmutableArray<Candidate>.Builder? builder = null;
        foreach (var member in members)
        {
            if (member is not IMethodSymbol candidate || candidate.MethodKind != MethodKind.Ordinary)
            {
                continue;
            }

            var created = TryCreateCandidate(sync, candidate.OriginalDefinition, relaxQueryableSource);
            if (created is not null)
            {
                builder ??= ImmutableArray.CreateBuilder<Candidate>();
                builder.Add(created);
            }
        }

        return builder?.ToImmutable() ?? ImmutableArray<Candidate>.Empty;
    }

    /// <summary>
    /// Whether the compilation may call <paramref name="candidate"/>. A public member of public types (most candidates:
    /// a library's API, found on a type the compilation already uses) is answered without the compiler's check, which
    /// walks the referenced assemblies.
    /// </summary>
    private bool IsAccessible(IMethodSymbol candidate)
    {
        for (ISymbol? current = candidate; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility != Accessibility.Public)
            {
                return compilation.IsSymbolAccessibleWithin(candidate, compilation.Assembly);
            }
        }

        return true;
    }

    private Candidate? TryCreateCandidate(IMethodSymbol sync, IMethodSymbol candidate, bool relaxQueryableSource)
    {
        if (candidate.Arity != sync.Arity
            || candidate.IsExtensionMethod != sync.IsExtensionMethod && !relaxQueryableSource
            || !IsAccessible(candidate)
            || IsObsolete(candidate))
        {
            return null;
        }

        var isStream = IsAsyncEnumerable(candidate.ReturnType);
        ITypeSymbol? awaited = null;
        if (!isStream && !TryGetAwaitedType(candidate.ReturnType, out awaited))
        {
            // Rejects EAP "void XAsync" and Socket's "bool XAsync(SocketAsyncEventArgs)".
            return null;
        }

        // The token may only come last: a leading token (Npgsql's WriteRowAsync(ct, params object[])) would
        // capture the first written argument.
        var parameters = candidate.Parameters;
        var tokenIndex = -1;
        if (parameters.Length > 0 && IsCancellationToken(parameters[parameters.Length - 1].Type))
        {
            tokenIndex = parameters.Length - 1;
        }

        var core = tokenIndex >= 0 ? parameters.RemoveAt(tokenIndex) : parameters;
        var syncParameters = sync.Parameters;
        foreach (var parameter in core)
        {
            // A token elsewhere is taken only where the sync method has the same token at the same place
            // (MailKit: Send(message, cancellationToken, progress) and SendAsync(message, cancellationToken, progress));
            // it is then an ordinary parameter that the sync call's argument, if any, goes to.
            if (IsCancellationToken(parameter.Type) && !MirrorsSyncToken(syncParameters, parameter))
            {
                return null;
            }
        }

        var positional = new int[syncParameters.Length];
        var named = new int[syncParameters.Length];
        for (var i = 0; i < syncParameters.Length; i++)
        {
            var relax = relaxQueryableSource && i == 0;
            positional[i] = -1;
            named[i] = -1;
            if (IsCancellationToken(syncParameters[i].Type) && tokenIndex >= 0)
            {
                // A token the sync call already takes (HttpClient.Send(request, ct)) goes to the counterpart's token.
                positional[i] = i == tokenIndex ? tokenIndex : -1;
                named[i] = parameters[tokenIndex].Name == syncParameters[i].Name ? tokenIndex : -1;
                continue;
            }

            if (i < core.Length && ParameterMatches(syncParameters[i], core[i], relax))
            {
                positional[i] = i;
            }

            for (var j = 0; j < core.Length; j++)
            {
                if (core[j].Name == syncParameters[i].Name && ParameterMatches(syncParameters[i], core[j], relax))
                {
                    named[i] = j;
                    break;
                }
            }
        }

        return new Candidate(candidate, core, tokenIndex, positional, named, isStream, GetResultRelation(sync.ReturnType, awaited, isStream), awaited);
    }

    private bool MirrorsSyncToken(ImmutableArray<IParameterSymbol> syncParameters, IParameterSymbol parameter)
        => parameter.Ordinal < syncParameters.Length
            && IsCancellationToken(syncParameters[parameter.Ordinal].Type)
            && syncParameters[parameter.Ordinal].Name == parameter.Name;

    private bool ParameterMatches(IParameterSymbol sync, IParameterSymbol candidate, bool relaxQueryableSource)
    {
        if (sync.RefKind != candidate.RefKind || sync.IsParams != candidate.IsParams)
        {
            return false;
        }

        if (relaxQueryableSource
            && candidate.Type is INamedTypeSymbol { Arity: 1 } queryable
            && SymbolEqualityComparer.Default.Equals(queryable.OriginalDefinition, Types.Queryable)
            && sync.Type is INamedTypeSymbol { Arity: 1 } source)
        {
            return TypeShape.Equal(queryable.TypeArguments[0], source.TypeArguments[0]);
        }

        return TypeShape.Equal(sync.Type, candidate.Type);
    }

    private ResultRelation GetResultRelation(ITypeSymbol syncReturn, ITypeSymbol? awaited, bool isStream)
    {
        if (isStream)
        {
            return ResultRelation.Same;
        }

        if (syncReturn.SpecialType == SpecialType.System_Void)
        {
            return ResultRelation.Same;
        }

        if (awaited is null || awaited.SpecialType == SpecialType.System_Void)
        {
            return ResultRelation.ValueLost;
        }

        if (TypeShape.Equal(syncReturn, awaited))
        {
            return ResultRelation.Same;
        }

        if (TypeShape.InheritsOrImplements(awaited, syncReturn))
        {
            return ResultRelation.AsyncIsDerived;
        }

        if (TypeShape.InheritsOrImplements(syncReturn, awaited))
        {
            return ResultRelation.AsyncIsBase;
        }

        return ResultRelation.Unrelated;
    }

    private bool IsObsolete(IMethodSymbol method)
    {
        if (Types.Obsolete is null)
        {
            return false;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, Types.Obsolete))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsCancellationToken(ITypeSymbol type)
        => Types.CancellationToken is not null && SymbolEqualityComparer.Default.Equals(type, Types.CancellationToken);

    private bool IsAsyncEnumerable(ITypeSymbol type)
        => Types.AsyncEnumerable is not null && type is INamedTypeSymbol named
            && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Types.AsyncEnumerable);

    private bool IsAwaitableOrStream(ITypeSymbol type) => IsAsyncEnumerable(type) || TryGetAwaitedType(type, out _);

    /// <summary>The type <c>await</c> produces (void for Task/ValueTask), by the awaiter pattern.</summary>
    private static bool TryGetAwaitedType(ITypeSymbol type, out ITypeSymbol? awaited)
    {
        awaited = null;
        if (type is not INamedTypeSymbol || type.SpecialType != SpecialType.None)
        {
            return false;
        }

        foreach (var member in type.GetMembers("GetAwaiter"))
        {
            if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, ReturnType: var awaiter })
            {
                foreach (var getResult in awaiter.GetMembers("GetResult"))
                {
                    if (getResult is IMethodSymbol { IsStatic: false, Parameters.Length: 0 } result)
                    {
                        awaited = result.ReturnType;
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The library a method belongs to, as messages name it ("EF Core", "MongoDB", an own type's name).</summary>
    public string GetLibraryLabel(IMethodSymbol method) => GetLibrary(method.ContainingType);

    private string GetLibrary(INamedTypeSymbol type)
    {
        if (type.Locations.Length > 0 && type.Locations[0].IsInSource)
        {
            return type.Name;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.ContainingNamespace?.ToDisplayString() == "System.Data.Common")
            {
                return "ADO.NET";
            }
        }

        return BlockingCatalog.GetLibraryLabel(type.ContainingNamespace?.ToDisplayString() ?? string.Empty);
    }

    private enum ResultRelation
    {
        /// <summary>Awaiting gives the same type (or the sync method returns void).</summary>
        Same,

        /// <summary>The awaited type derives from / implements the sync result type (IDataReader → DbDataReader).</summary>
        AsyncIsDerived,

        /// <summary>The awaited type is a base of the sync result type (SqliteTransaction → DbTransaction).</summary>
        AsyncIsBase,

        /// <summary>The sync method returns a value, the async one none.</summary>
        ValueLost,

        Unrelated,
    }

    private sealed class MethodEntry
    {
        public static readonly MethodEntry None = new(ImmutableArray<Candidate>.Empty, CounterpartKind.Rename, string.Empty, false, false);

        public MethodEntry(ImmutableArray<Candidate> candidates, CounterpartKind kind, string library, bool requiresEfQuery, bool isSemaphoreWait)
        {
            Candidates = candidates;
            Kind = kind;
            Library = library;
            RequiresEfQuery = requiresEfQuery;
            IsSemaphoreWait = isSemaphoreWait;
        }

        public ImmutableArray<Candidate> Candidates { get; }

        public CounterpartKind Kind { get; }

        public string Library { get; }

        public bool RequiresEfQuery { get; }

        public bool IsSemaphoreWait { get; }
    }

    private sealed class Candidate
    {
        public Candidate(IMethodSymbol method, ImmutableArray<IParameterSymbol> core, int tokenIndex, int[] positional, int[] named, bool isStream, ResultRelation result, ITypeSymbol? awaited)
        {
            Method = method;
            Core = core;
            TokenIndex = tokenIndex;
            Positional = positional;
            Named = named;
            IsStream = isStream;
            Result = result;
            Awaited = awaited;
        }

        public IMethodSymbol Method { get; }

        /// <summary>The parameters without the trailing CancellationToken.</summary>
        public ImmutableArray<IParameterSymbol> Core { get; }

        /// <summary>Index of the trailing CancellationToken parameter, or -1.</summary>
        public int TokenIndex { get; }

        /// <summary>Per sync parameter: the index of the candidate's parameter an argument written by position goes to, or -1.</summary>
        public int[] Positional { get; }

        /// <summary>Per sync parameter: the index of the candidate's parameter of the same name and type (named arguments), or -1.</summary>
        public int[] Named { get; }

        public bool IsStream { get; }

        public ResultRelation Result { get; }

        public ITypeSymbol? Awaited { get; }
    }
}
