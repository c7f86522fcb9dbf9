using System;
using System.Collections.Generic;
using System.Linq;

namespace OrderDesk.Data;

public sealed class Order
{
    public int Id { get; set; }

    public int CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public DateTime PlacedOn { get; set; }

    public DateTime? ShippedOn { get; set; }

    public OrderStatus Status { get; set; }

    public List<OrderLine> Lines { get; } = new();

    public decimal Total => Lines.Sum(line => line.Amount);
}
