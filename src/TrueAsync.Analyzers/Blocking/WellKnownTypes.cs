using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>The symbols the model needs, resolved once per compilation; absent ones stay null.</summary>
internal sealed class WellKnownTypes
{
    public WellKnownTypes(Compilation compilation)
    {
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        AsyncEnumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        AsyncDisposable = compilation.GetTypeByMetadataName("System.IAsyncDisposable");
        ConfiguredCancelableAsyncEnumerable = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ConfiguredCancelableAsyncEnumerable`1");
        Queryable = compilation.GetTypeByMetadataName("System.Linq.IQueryable`1");
        LinqEnumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
        LinqQueryable = compilation.GetTypeByMetadataName("System.Linq.Queryable");
        SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
        Console = compilation.GetTypeByMetadataName("System.Console");
        Obsolete = compilation.GetTypeByMetadataName("System.ObsoleteAttribute");
        DbSet = compilation.GetTypeByMetadataName(BlockingCatalog.EfDbSet);
        EfQueryableExtensions = compilation.GetTypeByMetadataName(BlockingCatalog.EfQueryableExtensions);
        foreach (var member in EfQueryableExtensions?.GetMembers("AsAsyncEnumerable") ?? ImmutableArray<ISymbol>.Empty)
        {
            EfAsAsyncEnumerableOrNull ??= member as IMethodSymbol;
        }

        NeverReportedTypes = Resolve(compilation, BlockingCatalog.NeverReportedTypes);
        InMemoryReceiverTypes = Resolve(compilation, BlockingCatalog.InMemoryReceiverTypes);
        OpaqueReceiverTypes = Resolve(compilation, BlockingCatalog.OpaqueReceiverTypes);

        var neverMethods = new Dictionary<INamedTypeSymbol, ImmutableHashSet<string>>(SymbolEqualityComparer.Default);
        foreach (var (typeName, methodName) in BlockingCatalog.NeverReportedMethods)
        {
            if (compilation.GetTypeByMetadataName(typeName) is { } type)
            {
                neverMethods[type] = neverMethods.TryGetValue(type, out var names) ? names.Add(methodName) : ImmutableHashSet.Create(methodName);
            }
        }

        NeverReportedMethods = neverMethods;

        var ado = new Dictionary<INamedTypeSymbol, INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var (interfaceName, className) in BlockingCatalog.AdoInterfaces)
        {
            if (compilation.GetTypeByMetadataName(interfaceName) is { } iface && compilation.GetTypeByMetadataName(className) is { } cls)
            {
                ado[iface] = cls;
            }
        }

        AdoInterfaceToClass = ado;

        var replacements = new Dictionary<INamedTypeSymbol, ImmutableDictionary<string, (INamedTypeSymbol, string)>>(SymbolEqualityComparer.Default);
        foreach (var (typeName, method, asyncTypeName, asyncMethod) in BlockingCatalog.StaticReplacements)
        {
            if (compilation.GetTypeByMetadataName(typeName) is { } type && compilation.GetTypeByMetadataName(asyncTypeName) is { } asyncType)
            {
                var forType = replacements.TryGetValue(type, out var existing) ? existing : ImmutableDictionary<string, (INamedTypeSymbol, string)>.Empty;
                replacements[type] = forType.SetItem(method, (asyncType, asyncMethod));
            }
        }

        StaticReplacements = replacements;

        var renamed = new Dictionary<INamedTypeSymbol, ImmutableDictionary<string, string>>(SymbolEqualityComparer.Default);
        foreach (var (typeName, method, asyncMethod) in BlockingCatalog.RenamedCounterparts)
        {
            if (compilation.GetTypeByMetadataName(typeName) is { } type)
            {
                var forType = renamed.TryGetValue(type, out var existing) ? existing : ImmutableDictionary<string, string>.Empty;
                renamed[type] = forType.SetItem(method, asyncMethod);
            }
        }

        RenamedCounterparts = renamed;
    }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? AsyncEnumerable { get; }

    public INamedTypeSymbol? AsyncDisposable { get; }

    public INamedTypeSymbol? ConfiguredCancelableAsyncEnumerable { get; }

    public INamedTypeSymbol? Queryable { get; }

    public INamedTypeSymbol? LinqEnumerable { get; }

    public INamedTypeSymbol? LinqQueryable { get; }

    public INamedTypeSymbol? SemaphoreSlim { get; }

    public INamedTypeSymbol? Console { get; }

    public INamedTypeSymbol? Obsolete { get; }

    public INamedTypeSymbol? DbSet { get; }

    public INamedTypeSymbol? EfQueryableExtensions { get; }

    public IMethodSymbol? EfAsAsyncEnumerableOrNull { get; }

    public ImmutableHashSet<INamedTypeSymbol> NeverReportedTypes { get; }

    public ImmutableHashSet<INamedTypeSymbol> InMemoryReceiverTypes { get; }

    public ImmutableHashSet<INamedTypeSymbol> OpaqueReceiverTypes { get; }

    public IReadOnlyDictionary<INamedTypeSymbol, ImmutableHashSet<string>> NeverReportedMethods { get; }

    public IReadOnlyDictionary<INamedTypeSymbol, INamedTypeSymbol> AdoInterfaceToClass { get; }

    /// <summary>Blocking type → (method name → (async type, async method name)).</summary>
    public IReadOnlyDictionary<INamedTypeSymbol, ImmutableDictionary<string, (INamedTypeSymbol AsyncType, string AsyncMethod)>> StaticReplacements { get; }

    /// <summary>Blocking type → (method name → the async method's name on the same type).</summary>
    public IReadOnlyDictionary<INamedTypeSymbol, ImmutableDictionary<string, string>> RenamedCounterparts { get; }

    private static ImmutableHashSet<INamedTypeSymbol> Resolve(Compilation compilation, ImmutableArray<string> names)
    {
        var builder = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in names)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }
}
