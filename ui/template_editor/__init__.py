"""The template editor (issue 13): open from the Templates page; see window.TemplateEditor."""

from .window import TemplateEditor, can_edit_templates

__all__ = ["TemplateEditor", "can_edit_templates"]
