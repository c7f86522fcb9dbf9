namespace OrderDesk.Data;

public enum OrderStatus
{
    Open,
    Shipped,
    Cancelled,
}
