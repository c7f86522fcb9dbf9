using Microsoft.CodeAnalysis;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// Compares the signatures of two different methods: method type parameters match by position
/// (<c>Query&lt;T&gt;</c> and <c>QueryAsync&lt;T&gt;</c>, <c>ToList&lt;TSource&gt;</c> and <c>ToListAsync&lt;TSource&gt;</c>),
/// nullability is ignored.
/// </summary>
internal static class TypeShape
{
    public static bool Equal(ITypeSymbol? a, ITypeSymbol? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a)
        {
            case ITypeParameterSymbol pa when b is ITypeParameterSymbol pb:
                if (pa.TypeParameterKind == TypeParameterKind.Method && pb.TypeParameterKind == TypeParameterKind.Method)
                {
                    return pa.Ordinal == pb.Ordinal;
                }

                return SymbolEqualityComparer.Default.Equals(pa, pb)
                    || (pa.TypeParameterKind == TypeParameterKind.Type && pb.TypeParameterKind == TypeParameterKind.Type
                        && pa.Ordinal == pb.Ordinal
                        && SymbolEqualityComparer.Default.Equals(pa.DeclaringType?.OriginalDefinition, pb.DeclaringType?.OriginalDefinition));
            case IArrayTypeSymbol arrayA when b is IArrayTypeSymbol arrayB:
                return arrayA.Rank == arrayB.Rank && Equal(arrayA.ElementType, arrayB.ElementType);
            case INamedTypeSymbol namedA when b is INamedTypeSymbol namedB:
                if (!SymbolEqualityComparer.Default.Equals(namedA.OriginalDefinition, namedB.OriginalDefinition)
                    || namedA.TypeArguments.Length != namedB.TypeArguments.Length)
                {
                    return false;
                }

                for (var i = 0; i < namedA.TypeArguments.Length; i++)
                {
                    if (!Equal(namedA.TypeArguments[i], namedB.TypeArguments[i]))
                    {
                        return false;
                    }
                }

                return Equal(namedA.ContainingType, namedB.ContainingType) || namedA.ContainingType is null && namedB.ContainingType is null;
            default:
                return SymbolEqualityComparer.Default.Equals(a, b);
        }
    }

    /// <summary>Whether <paramref name="derived"/> is, derives from or implements <paramref name="baseType"/>.</summary>
    public static bool InheritsOrImplements(ITypeSymbol derived, ITypeSymbol baseType)
    {
        for (var current = derived; current is not null; current = current.BaseType)
        {
            if (Equal(current, baseType))
            {
                return true;
            }
        }

        foreach (var implemented in derived.AllInterfaces)
        {
            if (Equal(implemented, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
