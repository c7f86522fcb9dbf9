using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// Whether a call on an ADO.NET interface (<c>IDbConnection.Open()</c>, <c>IDbCommand.ExecuteReader()</c>, …) whose
/// receiver's runtime type is unknown may be fixed by casting the receiver to its <c>Db*</c> base class
/// (<c>await ((DbCommand)cmd).ExecuteReaderAsync()</c>). The cast assumes what every ADO.NET provider does (SqlClient,
/// Npgsql, Microsoft.Data.Sqlite, MySqlConnector, Oracle's, …): its connection, command, reader and transaction derive
/// from <c>DbConnection</c>, <c>DbCommand</c>, <c>DbDataReader</c> and <c>DbTransaction</c>; Dapper's own async methods
/// make the same cast. On by default; a project whose interfaces have hand-written implementations withholds it:
/// <code>
/// [*.cs]
/// trueasync.cast_ado_interfaces = false
/// </code>
/// </summary>
internal sealed class AdoInterfaceCasts
{
    public const string Key = "trueasync.cast_ado_interfaces";

    private readonly AnalyzerConfigOptionsProvider? provider;
    private readonly ConcurrentDictionary<SyntaxTree, bool> perTree = new();

    public AdoInterfaceCasts(AnalyzerOptions? options)
    {
        provider = options?.AnalyzerConfigOptionsProvider;
    }

    /// <summary>Whether the option leaves the cast on for <paramref name="tree"/> (anything but <c>false</c> does).</summary>
    public bool IsAllowed(SyntaxTree tree)
        => provider is null || perTree.GetOrAdd(tree, t =>
            !provider.GetOptions(t).TryGetValue(Key, out var value)
            || !string.Equals(value?.Trim(), "false", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The receiver can be cast to a class at all: its static type is an interface (a type parameter or a struct
    /// cannot be cast to <c>DbCommand</c>, CS0030), and it is written as <c>receiver.Method(…)</c>.
    /// </summary>
    public static bool CanCast(IInvocationOperation invocation)
    {
        var instance = invocation.Instance;
        while (instance is IConversionOperation { IsImplicit: true } conversion)
        {
            instance = conversion.Operand;
        }

        return instance is { Type.TypeKind: TypeKind.Interface, IsImplicit: false }
            && instance is not IInstanceReferenceOperation
            && invocation.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax
            {
                Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax,
            };
    }
}
