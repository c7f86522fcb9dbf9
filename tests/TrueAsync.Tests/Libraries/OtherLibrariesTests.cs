using System.Threading.Tasks;
using TrueAsync.Tests.Infrastructure;
using Xunit;
using VerifyBlockingCall = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.BlockingCallFixer>;
using VerifyTaskRun = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer,
    TrueAsync.CodeFixes.Rules.TaskRunWrapperFixer>;

namespace TrueAsync.Tests.Libraries;

/// <summary>
/// TA0003 and TA0001 on libraries the analyzer knows only by convention (XAsync next to X) and by the few
/// catalog entries where convention fails: MongoDB (document database), Azure Blob Storage (cloud storage),
/// Confluent.Kafka (messaging), MailKit and System.Net.Mail (mail), MySqlConnector and Microsoft.Data.SqlClient
/// (other ADO.NET providers). Compiled against their real reference assemblies (TestReferences.Net80WithOtherLibraries).
/// </summary>
public sealed class OtherLibrariesTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Azure.Storage.Blobs;
        using Confluent.Kafka;
        using MailKit.Net.Smtp;
        using Microsoft.Data.SqlClient;
        using MimeKit;
        using MongoDB.Driver;
        using MySqlConnector;

        """;

    private const string Model = """

        public sealed class Order { public string Id { get; set; } = ""; public bool Open { get; set; } }
        """;

    private static string Code(string members) => Usings + "public sealed class C\n{\n" + members + "\n}\n" + Model;

    private static Task VerifyFixAsync(string members, string fixedMembers)
        => new VerifyBlockingCall.Test
        {
            TestCode = Code(members),
            FixedCode = Code(fixedMembers),
            ReferenceAssemblies = TestReferences.Net80WithOtherLibraries,
        }.RunAsync();

    private static Task VerifySilentAsync(string members)
        => new VerifyBlockingCall.Test { TestCode = Code(members), ReferenceAssemblies = TestReferences.Net80WithOtherLibraries }.RunAsync();

    private static Task VerifyTaskRunFixAsync(string members, string fixedMembers)
        => new VerifyTaskRun.Test
        {
            TestCode = Code(members),
            FixedCode = Code(fixedMembers),
            ReferenceAssemblies = TestReferences.Net80WithOtherLibraries,
        }.RunAsync();

    private static Task VerifyTaskRunSilentAsync(string members)
        => new VerifyTaskRun.Test { TestCode = Code(members), ReferenceAssemblies = TestReferences.Net80WithOtherLibraries }.RunAsync();

    // ---------- MongoDB.Driver ----------

    [Fact]
    public Task Mongo_FindToListAndFirstOrDefault_AwaitTheCursorExtensions()
        => VerifyFixAsync(
            """
                async Task<int> M(IMongoCollection<Order> orders, CancellationToken ct)
                {
                    var open = orders.Find(o => o.Open).[|ToList()|];
                    var first = orders.Find(o => o.Id == "1").[|FirstOrDefault()|];
                    return open.Count + (first is null ? 0 : 1);
                }
            """,
            """
                async Task<int> M(IMongoCollection<Order> orders, CancellationToken ct)
                {
                    var open = await orders.Find(o => o.Open).ToListAsync(ct);
                    var first = await orders.Find(o => o.Id == "1").FirstOrDefaultAsync(ct);
                    return open.Count + (first is null ? 0 : 1);
                }
            """);

    [Fact]
    public Task Mongo_WritesAndCount_AwaitTheirTwins()
        => VerifyFixAsync(
            """
                async Task<long> M(IMongoCollection<Order> orders, Order order)
                {
                    orders.[|InsertOne(order)|];
                    orders.[|DeleteMany(o => !o.Open)|];
                    return orders.[|CountDocuments(o => o.Open)|];
                }
            """,
            """
                async Task<long> M(IMongoCollection<Order> orders, Order order)
                {
                    await orders.InsertOneAsync(order);
                    await orders.DeleteManyAsync(o => !o.Open);
                    return await orders.CountDocumentsAsync(o => o.Open);
                }
            """);

    [Fact]
    public Task Mongo_FindSync_BecomesFindAsync()
        => VerifyFixAsync(
            """
                async Task<bool> M(IMongoCollection<Order> orders)
                {
                    using var cursor = orders.[|FindSync(o => o.Open)|];
                    return cursor.[|MoveNext()|];
                }
            """,
            """
                async Task<bool> M(IMongoCollection<Order> orders)
                {
                    using var cursor = await orders.FindAsync(o => o.Open);
                    return await cursor.MoveNextAsync();
                }
            """);

    [Fact]
    public Task Mongo_QueryNotRunYetAndBuilders_Silent()
        => VerifySilentAsync(
            """
                async Task<IFindFluent<Order, Order>> M(IMongoCollection<Order> orders, IMongoDatabase database)
                {
                    // Find, Limit, Sort only build the query; Builders build a filter; GetCollection opens nothing.
                    var query = orders.Find(o => o.Open).Limit(10).SortBy(o => o.Id);
                    var filter = Builders<Order>.Filter.Eq(o => o.Open, true);
                    var same = database.GetCollection<Order>("orders");
                    await Task.Yield();
                    return query;
                }
            """);

    [Fact]
    public Task Mongo_TaskRunAroundFindToList_AwaitsToListAsync()
        => VerifyTaskRunFixAsync(
            """
                async Task<List<Order>> M(IMongoCollection<Order> orders)
                    => await [|Task.Run|](() => orders.Find(o => o.Open).ToList());
            """,
            """
                async Task<List<Order>> M(IMongoCollection<Order> orders)
                    => await orders.Find(o => o.Open).ToListAsync();
            """);

    // ---------- Azure.Storage.Blobs ----------

    [Fact]
    public Task Blobs_UploadDownloadExists_AwaitTheirTwins()
        => VerifyFixAsync(
            """
                async Task<bool> M(BlobContainerClient container, Stream content, CancellationToken ct)
                {
                    container.[|CreateIfNotExists()|];
                    var blob = container.GetBlobClient("report.pdf");
                    blob.[|Upload(content, overwrite: true)|];
                    var downloaded = blob.[|DownloadContent()|];
                    return blob.[|Exists()|].Value;
                }
            """,
            """
                async Task<bool> M(BlobContainerClient container, Stream content, CancellationToken ct)
                {
                    await container.CreateIfNotExistsAsync(cancellationToken: ct);
                    var blob = container.GetBlobClient("report.pdf");
                    await blob.UploadAsync(content, overwrite: true, cancellationToken: ct);
                    var downloaded = await blob.DownloadContentAsync(ct);
                    return (await blob.ExistsAsync(ct)).Value;
                }
            """);

    [Fact]
    public Task Blobs_ClientsAndUris_Silent()
        => VerifySilentAsync(
            """
                async Task<Uri> M(BlobServiceClient service)
                {
                    // Getting a client or a URI does no I/O.
                    var container = service.GetBlobContainerClient("reports");
                    var blob = container.GetBlobClient("report.pdf");
                    await Task.Yield();
                    return blob.Uri;
                }
            """);

    [Fact]
    public Task Blobs_TaskRunAroundDownloadContent_AwaitsDownloadContentAsync()
        => VerifyTaskRunFixAsync(
            """
                async Task<BinaryData> M(BlobClient blob)
                {
                    var result = await [|Task.Run|](() => blob.DownloadContent());
                    return result.Value.Content;
                }
            """,
            """
                async Task<BinaryData> M(BlobClient blob)
                {
                    var result = await blob.DownloadContentAsync();
                    return result.Value.Content;
                }
            """);

    // ---------- Confluent.Kafka ----------

    [Fact]
    public Task Kafka_ProduceWithDeliveryHandler_Silent()
        => VerifySilentAsync(
            """
                async Task M(IProducer<string, string> producer)
                {
                    // Produce enqueues and reports delivery through the handler: not a blocking call.
                    producer.Produce("orders", new Message<string, string> { Key = "1", Value = "open" }, report => { });
                    var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
                    await Task.Yield();
                }
            """);

    [Fact]
    public Task Kafka_ProduceAsyncAwaited_Silent()
        => VerifySilentAsync(
            """
                async Task<long> M(IProducer<string, string> producer)
                {
                    var result = await producer.ProduceAsync("orders", new Message<string, string> { Key = "1", Value = "open" });
                    return result.Offset.Value;
                }
            """);

    // ---------- MailKit ----------

    [Fact]
    public Task MailKit_ConnectAuthenticateSend_AwaitTheirTwins()
        => VerifyFixAsync(
            """
                async Task M(SmtpClient client, MimeMessage message, CancellationToken ct)
                {
                    client.[|Connect("smtp.example.com", 587)|];
                    client.[|Authenticate("user", "secret")|];
                    client.[|Send(message)|];
                    client.[|Disconnect(true)|];
                }
            """,
            """
                async Task M(SmtpClient client, MimeMessage message, CancellationToken ct)
                {
                    await client.ConnectAsync("smtp.example.com", 587, cancellationToken: ct);
                    await client.AuthenticateAsync("user", "secret", ct);
                    await client.SendAsync(message);
                    await client.DisconnectAsync(true, ct);
                }
            """);

    [Fact]
    public Task MailKit_SendWithToken_KeepsTheToken()
        => VerifyFixAsync(
            """
                async Task M(SmtpClient client, MimeMessage message, CancellationToken ct)
                {
                    client.[|Send(message, ct)|];
                }
            """,
            """
                async Task M(SmtpClient client, MimeMessage message, CancellationToken ct)
                {
                    await client.SendAsync(message, ct);
                }
            """);

    [Fact]
    public Task MailKit_BuildingTheMessage_Silent()
        => VerifySilentAsync(
            """
                async Task<MimeMessage> M()
                {
                    var message = new MimeMessage();
                    message.From.Add(MailboxAddress.Parse("a@example.com"));
                    message.Body = new BodyBuilder { TextBody = "hello" }.ToMessageBody();
                    await Task.Yield();
                    return message;
                }
            """);

    // ---------- System.Net.Mail ----------

    [Fact]
    public Task NetMail_Send_BecomesSendMailAsyncNeverTheEventBasedSendAsync()
        => VerifyFixAsync(
            """
                async Task M(System.Net.Mail.SmtpClient client, System.Net.Mail.MailMessage message, CancellationToken ct)
                {
                    client.[|Send(message)|];
                    client.[|Send("a@example.com", "b@example.com", "subject", "body")|];
                }
            """,
            """
                async Task M(System.Net.Mail.SmtpClient client, System.Net.Mail.MailMessage message, CancellationToken ct)
                {
                    await client.SendMailAsync(message, ct);
                    await client.SendMailAsync("a@example.com", "b@example.com", "subject", "body", ct);
                }
            """);

    [Fact]
    public Task NetMail_TaskRunAroundSend_AwaitsSendMailAsync()
        => VerifyTaskRunFixAsync(
            """
                async Task M(System.Net.Mail.SmtpClient client, System.Net.Mail.MailMessage message)
                    => await [|Task.Run|](() => client.Send(message));
            """,
            """
                async Task M(System.Net.Mail.SmtpClient client, System.Net.Mail.MailMessage message)
                    => await client.SendMailAsync(message);
            """);

    // ---------- MySqlConnector ----------

    [Fact]
    public Task MySql_OpenExecuteRead_AwaitTheirTwins()
        => VerifyFixAsync(
            """
                async Task<int> M(MySqlConnection connection, CancellationToken ct)
                {
                    connection.[|Open()|];
                    using var command = new MySqlCommand("select id from orders", connection);
                    using var reader = command.[|ExecuteReader()|];
                    var n = 0;
                    while (reader.[|Read()|])
                    {
                        n++;
                    }

                    return n;
                }
            """,
            """
                async Task<int> M(MySqlConnection connection, CancellationToken ct)
                {
                    await connection.OpenAsync(ct);
                    using var command = new MySqlCommand("select id from orders", connection);
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    var n = 0;
                    while (await reader.ReadAsync(ct))
                    {
                        n++;
                    }

                    return n;
                }
            """);

    [Fact]
    public Task MySql_CommandBuildingAndColumnGetters_Silent()
        => VerifySilentAsync(
            """
                async Task<string> M(MySqlConnection connection, MySqlDataReader reader)
                {
                    var builder = new MySqlConnectionStringBuilder { Server = "localhost", Database = "shop" };
                    using var command = connection.CreateCommand();
                    command.CommandText = "select 1";
                    command.Parameters.AddWithValue("@id", 1);
                    await Task.Yield();
                    return reader.IsDBNull(0) ? builder.ConnectionString : reader.GetString(0);
                }
            """);

    [Fact]
    public Task MySql_TaskRunAroundExecuteNonQuery_AwaitsExecuteNonQueryAsync()
        => VerifyTaskRunFixAsync(
            """
                async Task<int> M(MySqlCommand command)
                    => await [|Task.Run|](() => command.ExecuteNonQuery());
            """,
            """
                async Task<int> M(MySqlCommand command)
                    => await command.ExecuteNonQueryAsync();
            """);

    // ---------- Microsoft.Data.SqlClient ----------

    [Fact]
    public Task SqlClient_OpenScalarTransaction_AwaitTheirTwins()
        => VerifyFixAsync(
            """
                async Task<object?> M(SqlConnection connection)
                {
                    connection.[|Open()|];
                    using var command = new SqlCommand("select count(*) from orders", connection);
                    var count = command.[|ExecuteScalar()|];
                    return count;
                }
            """,
            """
                async Task<object?> M(SqlConnection connection)
                {
                    await connection.OpenAsync();
                    using var command = new SqlCommand("select count(*) from orders", connection);
                    var count = await command.ExecuteScalarAsync();
                    return count;
                }
            """);

    [Fact]
    public Task SqlClient_ParametersAndBuilders_Silent()
        => VerifySilentAsync(
            """
                async Task<string> M(SqlCommand command)
                {
                    command.Parameters.AddWithValue("@id", 1);
                    var builder = new SqlConnectionStringBuilder { DataSource = "localhost", InitialCatalog = "shop" };
                    await Task.Yield();
                    return builder.ConnectionString;
                }
            """);

    [Fact]
    public Task SqlClient_TaskRunAroundExecuteScalarInSyncCode_Reported()
        => VerifyTaskRunFixAsync(
            """
                Task<object?> M(SqlCommand command) => [|Task.Run|](() => command.ExecuteScalar());
            """,
            """
                Task<object?> M(SqlCommand command) => command.ExecuteScalarAsync();
            """);

    [Fact]
    public Task TaskRunAroundCpuWork_Silent()
        => VerifyTaskRunSilentAsync(
            """
                Task<int> M(int[] values) => Task.Run(() => values.Sum());
            """);
}
