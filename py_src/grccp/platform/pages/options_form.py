"""The options page's form: one field per setting of the configuration schema (core.options_model.FIELDS), built
into #fields; the values in and out as strings and booleans; which settings a policy manages (read-only, marked
"Managed"); each validation problem shown under its field (or above the form), naming the field and the rule.

Element ids: field inputs "f-<path with - for />" (#f-regions-1-instanceArn, #f-allowlist,
#f-timeouts-ccpAckTimeout, ...), their messages "<input id>-error"; #form-errors (problems not tied to a field);
.field[data-path][data-managed][data-invalid]; #app[data-protocol] (the protocol chosen: what each field asks
depends on it)."""
from grccp.core import options_model as model
from grccp.core.effective_config import local_part

from . import dom


class ConfigForm:
    def __init__(self):
        self.inputs = {}
        self.messages = {}
        self.wrappers = {}

    def build(self):
        root = dom.by_id("fields")
        dom.clear(root)
        for name, title, help_text in model.SECTIONS:
            section = dom.el("fieldset", "section", ident=f"section-{name}")
            section.appendChild(dom.el("legend", text=title))
            section.appendChild(dom.el("p", "muted section-help", text=help_text))
            grid = dom.el("div", "fields")
            for field in model.FIELDS:
                if field.section == name:
                    grid.appendChild(self._field(field))
            section.appendChild(grid)
            root.appendChild(section)

    def _field(self, field):
        ident = field.ident
        has_help = bool(field.help or field.protocol_help)
        described = f"{ident}-help {ident}-error" if has_help else f"{ident}-error"
        common = {"aria-describedby": described, "name": field.path}
        if field.kind == "boolean":
            control = dom.el("input", ident=ident, attrs=dict(common, type="checkbox"))
        elif field.kind == "choice":
            control = dom.el("select", ident=ident, attrs=common)
            for value, label in field.choices:
                control.appendChild(dom.el("option", text=label, attrs={"value": value}))
        elif field.kind == "lines":
            control = dom.el("textarea", ident=ident, attrs=dict(common, rows="4", spellcheck="false",
                                                                 placeholder=field.placeholder or None))
        else:
            control = dom.el("input", ident=ident, attrs=dict(
                common, type="text", spellcheck="false", autocomplete="off",
                inputmode="numeric" if field.kind == "integer" else None,
                placeholder=field.placeholder or None))
        label = dom.el("label", text=field.label, attrs={"for": ident})
        managed_tag = dom.el("span", "managed-tag", text="Managed", attrs={"hidden": True})
        label.appendChild(managed_tag)
        kind_class = "field check" if field.kind == "boolean" else f"field {field.kind}"
        wrapper = dom.el("div", kind_class, attrs={"data-path": field.path})
        if field.kind == "boolean":
            wrapper.appendChild(control)
            wrapper.appendChild(label)
        else:
            wrapper.appendChild(label)
            wrapper.appendChild(control)
        if has_help:
            wrapper.appendChild(dom.el("p", "help", text=field.help, ident=f"{ident}-help"))
        message = dom.el("p", "error", ident=f"{ident}-error")
        wrapper.appendChild(message)
        self.inputs[field.path] = control
        self.messages[field.path] = message
        self.wrappers[field.path] = wrapper
        return wrapper

    # values -------------------------------------------------------------------------------------------------
    def read(self):
        """The form's values (options_model's form values)."""
        values = {}
        for field in model.FIELDS:
            control = self.inputs[field.path]
            values[field.path] = bool(control.checked) if field.kind == "boolean" else str(control.value)
        return values

    def write(self, values):
        for field in model.FIELDS:
            control = self.inputs[field.path]
            if field.kind == "boolean":
                control.checked = bool(values[field.path])
            else:
                control.value = values[field.path]
        self.show_protocol()

    def show_protocol(self):
        """What each field asks in the protocol chosen: required marks and help texts."""
        protocol = str(self.inputs[model.PROTOCOL_FIELD].value)
        dom.set_attr(dom.by_id("app"), "data-protocol", protocol)
        for field in model.FIELDS:
            if field.kind in ("text", "lines", "integer"):
                self.inputs[field.path].required = field.required(protocol)
            if field.help or field.protocol_help:
                dom.set_text(dom.by_id(f"{field.ident}-help"), field.help_in(protocol))

    def is_protocol_choice(self, target):
        """Whether an edit event's target is the protocol's choice."""
        return str(target.id) == model.field_id(model.PROTOCOL_FIELD)

    def config_object(self, managed_fields):
        """The configuration object the form makes, without the settings a policy manages."""
        return local_part(model.config_from_form(self.read()), managed_fields)

    def set_managed(self, managed_fields):
        """Settings the policy manages are read-only and marked."""
        for field in model.FIELDS:
            is_managed = field.top_level in managed_fields
            self.inputs[field.path].disabled = is_managed
            dom.set_attr(self.wrappers[field.path], "data-managed", "yes" if is_managed else None)
            dom.set_hidden(self.wrappers[field.path].querySelector(".managed-tag"), not is_managed)

    # problems -----------------------------------------------------------------------------------------------
    def show_errors(self, errors):
        inline, general = model.errors_by_field(errors)
        for path, message in self.messages.items():
            texts = inline.get(path, [])
            dom.set_text(message, "\n".join(texts))
            dom.set_attr(self.inputs[path], "aria-invalid", "true" if texts else None)
            dom.set_attr(self.wrappers[path], "data-invalid", "yes" if texts else None)
        box = dom.by_id("form-errors")
        dom.clear(box)
        for text in general:
            box.appendChild(dom.el("p", text=text))
        dom.set_hidden(box, not general)

    def focus_first(self, errors):
        """Focuses the field of the first problem, if it has one the user can change."""
        first = model.field_of_error(errors[0].path)
        if first is not None and not self.inputs[first].disabled:
            self.inputs[first].focus()
