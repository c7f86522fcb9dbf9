using System.Collections.Generic;

namespace OrderDesk.Data;

public sealed class Customer
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public string City { get; set; } = "";

    public List<Order> Orders { get; } = new();
}
