using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace TrueAsync.Analyzers.Shared;

/// <summary>
/// Keys per-method caches by the definition symbol's reference. Within one compilation the compiler hands out one
/// symbol object per method definition (source or metadata), so reference equality finds the same entry as
/// <see cref="SymbolEqualityComparer"/> at a fraction of the cost of its hashing, which showed in the per-call profile
/// (docs/architecture.md, "Speed"). Use it only for caches whose value is computed from the key alone: a second object
/// for the same method would cost a second computation of the same answer, never a different answer.
/// </summary>
internal sealed class DefinitionKeys : IEqualityComparer<IMethodSymbol>
{
    public static readonly DefinitionKeys Instance = new();

    private DefinitionKeys()
    {
    }

    public bool Equals(IMethodSymbol? x, IMethodSymbol? y) => ReferenceEquals(x, y);

    public int GetHashCode(IMethodSymbol obj) => RuntimeHelpers.GetHashCode(obj);
}
