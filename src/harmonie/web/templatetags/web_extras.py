"""Template helpers: render form widgets with the Utrecht classes and ARIA."""

from django import forms, template

register = template.Library()

_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.PasswordInput: "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--password",
}


@register.simple_tag
def ux_widget(bound_field):
    widget = bound_field.field.widget
    css = next((c for cls, c in _CLASSES.items() if isinstance(widget, cls)),
               "utrecht-textbox utrecht-textbox--html-input")
    attrs = {"class": css}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.id_for_label}_hulp")
    if bound_field.errors:
        described.append(f"{bound_field.id_for_label}_fout")
        attrs["aria-invalid"] = "true"
        attrs["class"] += " utrecht-textbox--invalid" if "textbox" in css else ""
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.field.required:
        attrs["required"] = True
    return bound_field.as_widget(attrs=attrs)


STATE_CLASSES = {"concept", "ingeleverd", "vastgesteld", "queued", "running", "succeeded", "failed"}


@register.filter
def status_class(value):
    value = str(value or "")
    return f"harmonie-status harmonie-status--{value}" if value in STATE_CLASSES else "harmonie-status"
