using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The base of every CrmSync component, widgets and primitives alike: the common <see cref="Id"/>, <see cref="Class"/>,
/// <see cref="Style"/> and <see cref="AdditionalAttributes"/> parameters of the root element.
/// </summary>
public abstract class CrmSyncElementBase : ComponentBase
{
    /// <summary>Gets or sets the id of the root element. Defaults to none.</summary>
    [Parameter]
    public string? Id { get; set; }

    /// <summary>Gets or sets extra CSS classes added to the root element. Defaults to none.</summary>
    [Parameter]
    public string? Class { get; set; }

    /// <summary>Gets or sets inline styles of the root element, for example <c>--crmsync-accent: teal</c>. Defaults to none.</summary>
    [Parameter]
    public string? Style { get; set; }

    /// <summary>Gets or sets any other attributes, splatted onto the root element.</summary>
    [Parameter(CaptureUnmatchedValues = true)]
    public IReadOnlyDictionary<string, object>? AdditionalAttributes { get; set; }

    /// <summary>Builds the class attribute: the component's own classes, then <see cref="Class"/>.</summary>
    /// <param name="classes">The component's classes; <see langword="null"/> or empty ones are skipped.</param>
    /// <returns>The class attribute value.</returns>
    protected string ClassNames(params string?[] classes) =>
        string.Join(' ', classes.Append(Class).Where(c => !string.IsNullOrWhiteSpace(c)));
}
