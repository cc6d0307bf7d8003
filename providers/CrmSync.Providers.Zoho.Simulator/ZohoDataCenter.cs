namespace CrmSync.Providers.Zoho.Simulator;

/// <summary>The Zoho data centres the simulator can serve.</summary>
public enum ZohoDataCenter
{
    /// <summary>United States: <c>accounts.zoho.com</c>, <c>www.zohoapis.com</c>.</summary>
    Us,

    /// <summary>Europe: <c>accounts.zoho.eu</c>, <c>www.zohoapis.eu</c>.</summary>
    Eu,

    /// <summary>India: <c>accounts.zoho.in</c>, <c>www.zohoapis.in</c>.</summary>
    In,

    /// <summary>Australia: <c>accounts.zoho.com.au</c>, <c>www.zohoapis.com.au</c>.</summary>
    Au,

    /// <summary>Japan: <c>accounts.zoho.jp</c>, <c>www.zohoapis.jp</c>.</summary>
    Jp,
}
