using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// Calls through an interface, abstract or virtual member (docs/architecture.md, "Own methods"): a call to
/// <c>IOrderService.Exists</c> runs one of its implementations, so it blocks when every implementation in the
/// compilation blocks. Found once per compilation, when <see cref="OwnMethodSummaries.Complete"/> runs and at least one
/// such member was called: one pass over the compilation's source types, never a search per call site.
/// </summary>
internal static class OwnMethodDispatch
{
    /// <summary>
    /// Whether a call to <paramref name="method"/> may run another body than its own: an interface member, an abstract or
    /// virtual member, or an override that a derived type can override again.
    /// </summary>
    public static bool IsDispatching(IMethodSymbol method)
        => !method.IsStatic
            && method.ContainingType is { } type
            && (type.TypeKind == TypeKind.Interface
                || (type.TypeKind == TypeKind.Class && !type.IsSealed && (method.IsAbstract || method.IsVirtual || (method.IsOverride && !method.IsSealed))));

    /// <summary>
    /// Whether implementations of <paramref name="method"/> may exist outside the compilation in a way that matters: a
    /// member without a body (interface or abstract) that other assemblies can implement, in a library. An application
    /// (an executable: ASP.NET Core apps, workers, console programs) is the whole world its services run in.
    /// </summary>
    public static bool MayBeImplementedElsewhere(Compilation compilation, IMethodSymbol method)
        => compilation.Options.OutputKind is OutputKind.DynamicallyLinkedLibrary or OutputKind.NetModule or OutputKind.WindowsRuntimeMetadata
            && IsVisibleOutsideAssembly(method);

    /// <summary>
    /// The direct implementations in source of every member of <paramref name="interfaceMembers"/> (by the types that
    /// implement its interface) and of every overridden method (its overrides), as normalised definitions. A member an
    /// implementation of which is not in this compilation's source is in <paramref name="external"/>.
    /// </summary>
    public static Dictionary<IMethodSymbol, List<IMethodSymbol>> FindImplementations(
        Compilation compilation,
        ICollection<IMethodSymbol> interfaceMembers,
        HashSet<IMethodSymbol> external,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<IMethodSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        var interfaces = new Dictionary<INamedTypeSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        foreach (var member in interfaceMembers)
        {
            var type = member.ContainingType;
            if (!interfaces.TryGetValue(type, out var members))
            {
                interfaces[type] = members = new List<IMethodSymbol>();
            }

            members.Add(member);
        }

        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (pending.Pop())
            {
                case INamespaceSymbol ns:
                    foreach (var member in ns.GetMembers())
                    {
                        pending.Push(member);
                    }

                    break;
                case INamedTypeSymbol type:
                    foreach (var nested in type.GetTypeMembers())
                    {
                        pending.Push(nested);
                    }

                    if (type.TypeKind is TypeKind.Class or TypeKind.Struct && !type.DeclaringSyntaxReferences.IsEmpty)
                    {
                        AddOverrides(type, result);
                        if (interfaces.Count > 0)
                        {
                            AddInterfaceImplementations(compilation, type, interfaces, result, external);
                        }
                    }

                    break;
            }
        }

        foreach (var list in result.Values)
        {
            // Source order, so that the chain names the same implementation on every run.
            list.Sort(CompareBySourceOrder);
        }

        return result;
    }

    private static void AddOverrides(INamedTypeSymbol type, Dictionary<IMethodSymbol, List<IMethodSymbol>> result)
    {
        foreach (var member in type.GetMembers())
        {
            // Only overrides of own methods: the summaries are asked about own methods only, and most overrides are of a
            // library's (ToString, Equals, Stream.Read), which would only make the lists to sort longer.
            if (member is IMethodSymbol { OverriddenMethod: { } overridden } method
                && SymbolEqualityComparer.Default.Equals(overridden.ContainingAssembly, type.ContainingAssembly))
            {
                Add(result, OwnMethodSummaries.Normalize(overridden), OwnMethodSummaries.Normalize(method));
            }
        }
    }

    private static void AddInterfaceImplementations(
        Compilation compilation,
        INamedTypeSymbol type,
        Dictionary<INamedTypeSymbol, List<IMethodSymbol>> interfaces,
        Dictionary<IMethodSymbol, List<IMethodSymbol>> result,
        HashSet<IMethodSymbol> external)
    {
        foreach (var implemented in type.AllInterfaces)
        {
            if (!interfaces.TryGetValue(implemented.OriginalDefinition, out var members))
            {
                continue;
            }

            foreach (var member in members)
            {
                // The member as the (possibly constructed) interface the type implements declares it.
                foreach (var candidate in implemented.GetMembers(member.Name))
                {
                    if (candidate is not IMethodSymbol constructed
                        || !SymbolEqualityComparer.Default.Equals(constructed.OriginalDefinition, member)
                        || type.FindImplementationForInterfaceMember(constructed) is not IMethodSymbol implementation)
                    {
                        continue;
                    }

                    var definition = OwnMethodSummaries.Normalize(implementation);
                    if (SymbolEqualityComparer.Default.Equals(definition, member))
                    {
                        // A default interface implementation: the member's own body, already part of its node.
                        continue;
                    }

                    if (definition.DeclaringSyntaxReferences.IsEmpty || !SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, compilation.Assembly))
                    {
                        // Implemented by a library's base class: its body is unknown.
                        external.Add(member);
                        continue;
                    }

                    Add(result, member, definition);
                }
            }
        }
    }

    private static void Add(Dictionary<IMethodSymbol, List<IMethodSymbol>> result, IMethodSymbol member, IMethodSymbol implementation)
    {
        if (!result.TryGetValue(member, out var list))
        {
            result[member] = list = new List<IMethodSymbol>();
        }

        foreach (var known in list)
        {
            if (SymbolEqualityComparer.Default.Equals(known, implementation))
            {
                return;
            }
        }

        list.Add(implementation);
    }

    private static int CompareBySourceOrder(IMethodSymbol a, IMethodSymbol b)
    {
        var left = FirstLocation(a);
        var right = FirstLocation(b);
        var byPath = string.CompareOrdinal(left?.SourceTree?.FilePath, right?.SourceTree?.FilePath);
        return byPath != 0 ? byPath : (left?.SourceSpan.Start ?? 0).CompareTo(right?.SourceSpan.Start ?? 0);
    }

    /// <summary>Read once: a source method builds its <see cref="ISymbol.Locations"/> array on every call.</summary>
    private static Location? FirstLocation(IMethodSymbol method)
    {
        var locations = method.Locations;
        return locations.IsEmpty ? null : locations[0];
    }

    private static bool IsVisibleOutsideAssembly(IMethodSymbol method)
    {
        for (ISymbol? symbol = method; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            if (symbol.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }
}
