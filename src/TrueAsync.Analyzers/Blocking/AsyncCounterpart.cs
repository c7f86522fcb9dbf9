using System;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>How the blocking call becomes its async counterpart.</summary>
internal enum CounterpartKind
{
    /// <summary>Same receiver (or same static class), new name: <c>db.SaveChanges()</c> → <c>await db.SaveChangesAsync()</c>,
    /// also for extensions that live elsewhere (<c>query.ToList()</c> → <c>await query.ToListAsync()</c>, see <see cref="AsyncCounterpart.ImportNamespace"/>).</summary>
    Rename,

    /// <summary>Another type's static method: <c>Thread.Sleep(ms)</c> → <c>await Task.Delay(ms)</c>.</summary>
    StaticReplacement,

    /// <summary>The receiver's static type lacks the async API (IDbCommand): <c>((DbCommand)cmd).ExecuteNonQueryAsync()</c>.</summary>
    CastReceiver,

    /// <summary><c>foreach</c> over an EF query → <c>await foreach (var x in query.AsAsyncEnumerable())</c>.</summary>
    ForEachAsAsyncEnumerable,

    /// <summary>The call is a <c>foreach</c> collection and its counterpart returns <c>IAsyncEnumerable&lt;T&gt;</c>:
    /// rename and make the loop <c>await foreach</c> (<c>File.ReadLines</c> → <c>File.ReadLinesAsync</c>).</summary>
    AsyncStream,
}

/// <summary>How the fix passes a <c>CancellationToken</c> to the counterpart.</summary>
internal enum TokenPassing
{
    /// <summary>The counterpart takes no token (Dapper, StackExchange.Redis, params overloads of EF).</summary>
    None,

    /// <summary>Append the token as the next positional argument.</summary>
    Positional,

    /// <summary>Append <c>name: token</c> (optional parameters between the written arguments and the token).</summary>
    Named,

    /// <summary>An async stream: append <c>.WithCancellation(token)</c> to it.</summary>
    WithCancellation,
}

/// <summary>
/// The answer of <see cref="BlockingCallModel"/> for one blocking call site: what blocks, what to use
/// instead, and everything a fixer needs to rewrite it. Travels in <c>Diagnostic.Properties</c>.
/// </summary>
internal sealed class AsyncCounterpart
{
    private const string KeyBlocking = "TA.Blocking";
    private const string KeyAsync = "TA.Async";
    private const string KeyLibrary = "TA.Library";
    private const string KeyDisplay = "TA.AsyncDisplay";
    private const string KeyKind = "TA.Kind";
    private const string KeyFixable = "TA.Fixable";
    private const string KeyImport = "TA.Import";
    private const string KeyReplacementType = "TA.ReplacementType";
    private const string KeyCastType = "TA.CastType";
    private const string KeyResultCast = "TA.ResultCast";
    private const string KeyToken = "TA.Token";
    private const string KeyTokenName = "TA.TokenName";
    private const string KeyTokenRequired = "TA.TokenRequired";
    private const string KeyAsyncDisposable = "TA.AsyncDisposable";
    private const string KeyAwaitForEach = "TA.AwaitForEach";
    private const string KeyCompiledExpressions = "TA.CompiledExpressions";

    public AsyncCounterpart(string blockingMember, string asyncMember, string library, CounterpartKind kind)
    {
        BlockingMember = blockingMember;
        AsyncMember = asyncMember;
        Library = library;
        Kind = kind;
        AsyncDisplay = asyncMember;
    }

    /// <summary>The blocking member as the message names it: <c>ToList</c>, <c>foreach</c>.</summary>
    public string BlockingMember { get; }

    /// <summary>The async member's simple name: <c>ToListAsync</c>, <c>Delay</c>, <c>AsAsyncEnumerable</c>.</summary>
    public string AsyncMember { get; }

    /// <summary>"EF Core", "ADO.NET", "Dapper", "StackExchange.Redis", "System.IO", ...</summary>
    public string Library { get; }

    public CounterpartKind Kind { get; }

    /// <summary>What the message tells the user to use: <c>ToListAsync</c>, <c>Task.Delay</c>, <c>DbCommand.ExecuteNonQueryAsync</c>.</summary>
    public string AsyncDisplay { get; set; }

    /// <summary>Whether a fix can rewrite this site into code that compiles and behaves the same.</summary>
    public bool IsFixable { get; set; }

    /// <summary>Namespace to import for an extension counterpart (<c>Microsoft.EntityFrameworkCore</c> for <c>ToListAsync</c>).</summary>
    public string? ImportNamespace { get; set; }

    /// <summary>Fully qualified type of a <see cref="CounterpartKind.StaticReplacement"/> (<c>System.Threading.Tasks.Task</c>).</summary>
    public string? ReplacementType { get; set; }

    /// <summary>Fully qualified type the receiver is cast to for <see cref="CounterpartKind.CastReceiver"/>.</summary>
    public string? CastType { get; set; }

    /// <summary>
    /// Fully qualified type the awaited result is cast back to, when the counterpart returns a base type
    /// (<c>SqliteConnection.BeginTransaction()</c> returns <c>SqliteTransaction</c>, <c>BeginTransactionAsync</c> a <c>DbTransaction</c>).
    /// </summary>
    public string? ResultCast { get; set; }

    public TokenPassing Token { get; set; }

    /// <summary>The counterpart's CancellationToken parameter name, for <see cref="TokenPassing.Named"/>.</summary>
    public string? TokenParameterName { get; set; }

    /// <summary>Every matching overload needs a token: pass <c>CancellationToken.None</c> when none is in scope.</summary>
    public bool TokenRequired { get; set; }

    /// <summary>The awaited result implements <c>IAsyncDisposable</c>: <c>using var x = …</c> may become <c>await using</c>.</summary>
    public bool ResultIsAsyncDisposable { get; set; }

    /// <summary>The language version allows <c>await foreach</c>/<c>await using</c> (C# 8+), checked by the model on the call's tree.</summary>
    public bool AwaitForEachAllowed { get; set; }

    /// <summary>
    /// The chosen async method (original definition), for the analyzer that asked; in memory only, never in
    /// <c>Diagnostic.Properties</c> (a fixer gets what it needs from the other members).
    /// </summary>
    public IMethodSymbol? AsyncMethod { get; set; }

    /// <summary>
    /// Set when the call is LINQ to objects over an EF query (<c>db.Orders.Where(isOverdue).ToList()</c> with a <c>Func</c>):
    /// the <c>Enumerable</c> operator through which the query went to memory. Such a counterpart is never fixable.
    /// </summary>
    public string? InMemoryFrom { get; set; }

    /// <summary>
    /// LINQ to objects over an EF query only through <c>expression.Compile()</c> arguments
    /// (<c>db.Orders.Where(isOverdue.Compile()).ToList()</c>): the fix passes the expressions themselves, which keeps the
    /// query EF's, and awaits the counterpart. Only TA0003's fixer does this rewrite; the others offer no fix for it.
    /// </summary>
    public bool ExpressionsCompiled { get; set; }

    public ImmutableDictionary<string, string?> ToProperties()
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        builder[KeyBlocking] = BlockingMember;
        builder[KeyAsync] = AsyncMember;
        builder[KeyLibrary] = Library;
        builder[KeyDisplay] = AsyncDisplay;
        builder[KeyKind] = Kind.ToString();
        builder[KeyFixable] = IsFixable ? "true" : "false";
        builder[KeyToken] = Token.ToString();
        builder[KeyTokenRequired] = TokenRequired ? "true" : "false";
        builder[KeyAsyncDisposable] = ResultIsAsyncDisposable ? "true" : "false";
        builder[KeyAwaitForEach] = AwaitForEachAllowed ? "true" : "false";
        builder[KeyCompiledExpressions] = ExpressionsCompiled ? "true" : "false";
        AddIfPresent(builder, KeyImport, ImportNamespace);
        AddIfPresent(builder, KeyReplacementType, ReplacementType);
        AddIfPresent(builder, KeyCastType, CastType);
        AddIfPresent(builder, KeyResultCast, ResultCast);
        AddIfPresent(builder, KeyTokenName, TokenParameterName);
        return builder.ToImmutable();
    }

    public static AsyncCounterpart? FromProperties(ImmutableDictionary<string, string?> properties)
    {
        if (properties is null
            || !properties.TryGetValue(KeyBlocking, out var blocking) || blocking is null
            || !properties.TryGetValue(KeyAsync, out var asyncMember) || asyncMember is null
            || !properties.TryGetValue(KeyLibrary, out var library) || library is null
            || !properties.TryGetValue(KeyKind, out var kindText) || !Enum.TryParse<CounterpartKind>(kindText, out var kind))
        {
            return null;
        }

        var result = new AsyncCounterpart(blocking, asyncMember, library, kind)
        {
            AsyncDisplay = Get(properties, KeyDisplay) ?? asyncMember,
            IsFixable = GetBool(properties, KeyFixable),
            ImportNamespace = Get(properties, KeyImport),
            ReplacementType = Get(properties, KeyReplacementType),
            CastType = Get(properties, KeyCastType),
            ResultCast = Get(properties, KeyResultCast),
            TokenParameterName = Get(properties, KeyTokenName),
            TokenRequired = GetBool(properties, KeyTokenRequired),
            ResultIsAsyncDisposable = GetBool(properties, KeyAsyncDisposable),
            AwaitForEachAllowed = GetBool(properties, KeyAwaitForEach),
            ExpressionsCompiled = GetBool(properties, KeyCompiledExpressions),
        };
        result.Token = Enum.TryParse<TokenPassing>(Get(properties, KeyToken), out var token) ? token : TokenPassing.None;
        return result;
    }

    public override string ToString()
        => string.Format(CultureInfo.InvariantCulture, "{0} -> {1} ({2}, {3}, fixable: {4}, token: {5})", BlockingMember, AsyncDisplay, Library, Kind, IsFixable, Token);

    private static void AddIfPresent(ImmutableDictionary<string, string?>.Builder builder, string key, string? value)
    {
        if (value is not null)
        {
            builder[key] = value;
        }
    }

    private static string? Get(ImmutableDictionary<string, string?> properties, string key)
        => properties.TryGetValue(key, out var value) ? value : null;

    private static bool GetBool(ImmutableDictionary<string, string?> properties, string key)
        => string.Equals(Get(properties, key), "true", StringComparison.Ordinal);
}
