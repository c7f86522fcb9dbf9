using System;
using System.Collections.Generic;

namespace ShopApi.Services;

public sealed record ProductSummary(int Id, string Name, decimal Price, int Stock);

public sealed record StockSummary(int Products, int InStock);

public sealed record OrderLineRequest(int ProductId, int Quantity);

public sealed record PlaceOrderRequest(int CustomerId, List<OrderLineRequest> Lines);

public sealed record OrderLineView(string Product, int Quantity, decimal UnitPrice);

public sealed record OrderView(int Id, string Customer, DateTime PlacedAt, decimal Total, List<OrderLineView> Lines);

public sealed record ProductSales(string Product, long Units, decimal Revenue);

/// <summary>An order that cannot be placed (unknown customer or product, not enough stock): the API answers 400.</summary>
public sealed class OrderRejectedException : Exception
{
    public OrderRejectedException(string message)
        : base(message)
    {
    }
}
