using Microsoft.CodeAnalysis;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// Source 3 of the model (docs/architecture.md, "Own methods"): knowledge about the compilation's own methods — a repository's
/// <c>LoadAll()</c> that calls <c>db.Users.ToList()</c> blocks its callers too. The model itself only asks;
/// an implementation (computed once per method, e.g. by following bodies through the model) is plugged in
/// with <see cref="BlockingCallModel.OwnMethodSummaries"/>.
/// </summary>
internal interface IOwnMethodSummaries
{
    /// <summary>
    /// Whether calling <paramref name="method"/> (a method declared in this compilation, original definition)
    /// blocks on I/O, directly or through other own methods. Must be thread-safe and should cache.
    /// </summary>
    bool IsBlocking(IMethodSymbol method);
}
