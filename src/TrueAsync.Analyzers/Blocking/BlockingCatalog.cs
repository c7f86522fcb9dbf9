using System;
using System.Collections.Immutable;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// The built-in knowledge of the blocking-call model, as data in one place (docs/architecture.md, "The
/// blocking-call model", source 1): counterparts a name lookup cannot find, and calls that must never be reported.
/// Each entry names the library API it comes from; docs/architecture.md says how to add one.
/// </summary>
internal static class BlockingCatalog
{
    /// <summary>
    /// LINQ operators (System.Linq.Enumerable / Queryable) that execute an EF query; their async twins
    /// live in EntityFrameworkQueryableExtensions and are valid only when the receiver is an EF query.
    /// </summary>
    public static readonly ImmutableHashSet<string> EfMaterializers = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "ToList", "ToArray", "ToDictionary", "ToHashSet",
        "First", "FirstOrDefault", "Single", "SingleOrDefault", "Last", "LastOrDefault",
        "Count", "LongCount", "Any", "All", "Min", "Max", "Sum", "Average", "Contains",
        "ElementAt", "ElementAtOrDefault");

    public const string EfQueryableExtensions = "Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions";
    public const string EfNamespace = "Microsoft.EntityFrameworkCore";
    public const string EfDbSet = "Microsoft.EntityFrameworkCore.DbSet`1";
    public const string EfDbContext = "Microsoft.EntityFrameworkCore.DbContext";

    /// <summary>ADO.NET interfaces that declare no async member, and the base class that does.</summary>
    public static readonly ImmutableArray<(string Interface, string Class)> AdoInterfaces = ImmutableArray.Create(
        ("System.Data.IDbConnection", "System.Data.Common.DbConnection"),
        ("System.Data.IDbCommand", "System.Data.Common.DbCommand"),
        ("System.Data.IDataReader", "System.Data.Common.DbDataReader"),
        ("System.Data.IDbTransaction", "System.Data.Common.DbTransaction"));

    /// <summary>Static methods whose counterpart is a static method of another type with another name.</summary>
    public static readonly ImmutableArray<(string Type, string Method, string AsyncType, string AsyncMethod)> StaticReplacements = ImmutableArray.Create(
        ("System.Threading.Thread", "Sleep", "System.Threading.Tasks.Task", "Delay"));

    /// <summary>
    /// Methods whose counterpart on the same type (or a base type) has another name than <c>XAsync</c>: the
    /// name lookup would miss it, or find the wrong method.
    /// </summary>
    public static readonly ImmutableArray<(string Type, string Method, string AsyncMethod)> RenamedCounterparts = ImmutableArray.Create(
        // System.Net.Mail.SmtpClient: SendAsync is the event-based API (void, completion through the SendCompleted
        // event) and must never be suggested; SendMailAsync returns a Task (learn.microsoft.com, SmtpClient.SendMailAsync).
        ("System.Net.Mail.SmtpClient", "Send", "SendMailAsync"),
        // MongoDB.Driver: FindSync executes the query and returns a cursor, as FindAsync does; Find only builds an
        // IFindFluent (see NeverReportedMethods). MongoDB .NET driver API reference, IMongoCollection<TDocument>.FindSync.
        ("MongoDB.Driver.IMongoCollection`1", "FindSync", "FindAsync"),
        ("MongoDB.Driver.IMongoCollectionExtensions", "FindSync", "FindAsync"));

    /// <summary>
    /// Types none of whose methods are ever reported: task waits belong to TA0002, and in-memory
    /// readers, writers and streams do no I/O.
    /// </summary>
    public static readonly ImmutableArray<string> NeverReportedTypes = ImmutableArray.Create(
        "System.Threading.Tasks.Task",
        "System.Threading.Tasks.Task`1",
        "System.Threading.Tasks.ValueTask",
        "System.Threading.Tasks.ValueTask`1",
        "System.Threading.Tasks.TaskFactory",
        "System.Threading.Tasks.TaskFactory`1",
        "System.Runtime.CompilerServices.TaskAwaiter",
        "System.Runtime.CompilerServices.TaskAwaiter`1",
        "System.Runtime.CompilerServices.ValueTaskAwaiter",
        "System.Runtime.CompilerServices.ValueTaskAwaiter`1",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1",
        "System.Threading.CancellationTokenSource",
        "System.Console",
        "System.IO.MemoryStream",
        "System.IO.UnmanagedMemoryStream",
        "System.IO.StringReader",
        "System.IO.StringWriter",
        // ReadAsync throws unless the reader was created with XmlReaderSettings.Async = true.
        "System.Xml.XmlReader",
        "System.Xml.XmlWriter",
        // StackExchange.Redis' own sync-over-async helpers (Wait, WaitAll, TryWait) are task waits.
        "StackExchange.Redis.IRedisAsync");

    /// <summary>Receiver types that make any call on them in-memory (a MemoryStream typed as such, a StringWriter ...).</summary>
    public static readonly ImmutableArray<string> InMemoryReceiverTypes = ImmutableArray.Create(
        "System.IO.MemoryStream",
        "System.IO.UnmanagedMemoryStream",
        "System.IO.StringReader",
        "System.IO.StringWriter");

    /// <summary>
    /// Receiver types that say nothing about where the data goes: a parameter typed <c>TextWriter</c> is as
    /// often <c>Console.Out</c> or a <c>StringWriter</c> as a file. Calls are reported only when the static type
    /// is exactly one of these and a derived type (<c>StreamWriter</c>, <c>StreamReader</c>) names the I/O.
    /// </summary>
    public static readonly ImmutableArray<string> OpaqueReceiverTypes = ImmutableArray.Create(
        "System.IO.TextWriter",
        "System.IO.TextReader");

    /// <summary>(containing type, method) pairs that have an async twin but must not be reported.</summary>
    public static readonly ImmutableArray<(string Type, string Method)> NeverReportedMethods = ImmutableArray.Create(
        // EF documents AddAsync as useful only for HiLo value generators: "For all other cases the non async method should be used."
        ("Microsoft.EntityFrameworkCore.DbContext", "Add"),
        ("Microsoft.EntityFrameworkCore.DbContext", "AddRange"),
        ("Microsoft.EntityFrameworkCore.DbContext", "Attach"),
        ("Microsoft.EntityFrameworkCore.DbContext", "AttachRange"),
        ("Microsoft.EntityFrameworkCore.DbSet`1", "Add"),
        ("Microsoft.EntityFrameworkCore.DbSet`1", "AddRange"),
        ("Microsoft.EntityFrameworkCore.DbSet`1", "Attach"),
        ("Microsoft.EntityFrameworkCore.DbSet`1", "AttachRange"),
        ("Microsoft.EntityFrameworkCore.IDbContextFactory`1", "CreateDbContext"),
        // Column getters read the current, already buffered row.
        ("System.Data.Common.DbDataReader", "GetFieldValue"),
        ("System.Data.Common.DbDataReader", "IsDBNull"),
        ("System.Data.Common.DbDataReader", "GetStream"),
        ("System.Data.Common.DbDataReader", "GetTextReader"),
        ("System.Data.IDataRecord", "IsDBNull"),
        // MongoDB.Driver: Find builds an IFindFluent, a query not run yet; it runs at ToList/First/ToCursor, which are
        // reported. FindAsync is not its twin but FindSync's (RenamedCounterparts).
        ("MongoDB.Driver.IMongoCollectionExtensions", "Find"),
        // Confluent.Kafka: Produce only enqueues the message and reports delivery through a handler; the Confluent
        // client documentation recommends it over ProduceAsync for high throughput. It blocks only when the local
        // queue is full, which ProduceAsync does too.
        ("Confluent.Kafka.IProducer`2", "Produce"));

    /// <summary>Method names never reported whatever the type: disposal is left to <c>await using</c>.</summary>
    public static readonly ImmutableHashSet<string> NeverReportedNames = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Dispose", "GetAwaiter", "GetResult", "ConfigureAwait", "ToString", "GetHashCode", "Equals", "GetType");

    /// <summary>Library label for a namespace prefix, first match wins; the fallback is the namespace's first segment.</summary>
    public static readonly ImmutableArray<(string NamespacePrefix, string Label)> LibraryLabels = ImmutableArray.Create(
        ("Microsoft.EntityFrameworkCore", "EF Core"),
        ("System.Data", "ADO.NET"),
        ("Microsoft.Data.Sqlite", "ADO.NET"),
        ("Microsoft.Data.SqlClient", "ADO.NET"),
        ("System.Data.SqlClient", "ADO.NET"),
        ("MySqlConnector", "ADO.NET"),
        ("Npgsql", "Npgsql"),
        ("Dapper", "Dapper"),
        ("StackExchange.Redis", "StackExchange.Redis"),
        ("MongoDB.Driver", "MongoDB"),
        ("Azure.Storage", "Azure Storage"),
        ("Confluent.Kafka", "Kafka"),
        ("MailKit", "MailKit"),
        ("System.Net.Mail", "System.Net.Mail"),
        ("System.Net.Http", "HttpClient"),
        ("System.Net", "System.Net"),
        ("System.IO", "System.IO"),
        ("System.Threading", "System.Threading"),
        ("System.Diagnostics", "System.Diagnostics"),
        ("System.Text.Json", "System.Text.Json"),
        ("System.Linq", "LINQ"));

    public static string GetLibraryLabel(string namespaceName)
    {
        foreach (var (prefix, label) in LibraryLabels)
        {
            if (namespaceName.StartsWith(prefix, StringComparison.Ordinal)
                && (namespaceName.Length == prefix.Length || namespaceName[prefix.Length] == '.'))
            {
                return label;
            }
        }

        var dot = namespaceName.IndexOf('.');
        return namespaceName.Length == 0 ? "this project" : dot < 0 ? namespaceName : namespaceName.Substring(0, dot);
    }
}
