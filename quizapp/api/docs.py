"""The API's reference page, made on the server from the generated OpenAPI document
(no script, so it satisfies the site's Content-Security-Policy and works without JS)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


def type_label(schema: dict[str, Any]) -> str:
    """A JSON schema as a short type for people: ``integer``, ``list of QuestionOut``."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        parts = [type_label(part) for part in schema["anyOf"]]
        return " or ".join(part for part in parts if part != "null") + (
            " (or null)" if "null" in parts else ""
        )
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return "list of " + type_label(schema.get("items", {}))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return "map to " + type_label(schema["additionalProperties"])
    if kind is None:
        return "any"
    label = str(kind)
    if schema.get("format"):
        label += f" ({schema['format']})"
    return label


def inline_code(text: str) -> Markup:
    """A description's `code spans` as <code>, everything else escaped."""
    parts = re.split(r"`([^`]*)`", text or "")
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )


def notes(schema: dict[str, Any], description: str | None = None) -> Markup:
    """A field's limits, then its description."""
    bits = [limits(schema), (description or schema.get("description") or "").strip()]
    return Markup(". ").join(inline_code(bit) for bit in bits if bit)


def limits(schema: dict[str, Any]) -> str:
    """The constraints of a field, as people read them."""
    for part in schema.get("anyOf", []):
        if part.get("type") != "null":
            schema = {**part, **{k: v for k, v in schema.items() if k != "anyOf"}}
    words = []
    for key, text in (
        ("minimum", "at least {}"),
        ("maximum", "at most {}"),
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
        ("default", "default {}"),
    ):
        if key in schema and schema[key] is not None:
            words.append(text.format(schema[key]))
    return ", ".join(words)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[dict[str, Any]]
    body: str | None
    responses: list[tuple[str, str, str]]
    anchor: str
    scopes: list[str]


def operations(spec: dict[str, Any]) -> dict[str, list[Operation]]:
    """The document's operations grouped by tag, in path order."""
    groups: dict[str, list[Operation]] = {}
    for path in sorted(spec.get("paths", {})):
        item = spec["paths"][path]
        for method in sorted(item, key=lambda m: METHOD_ORDER.index(m) if m in METHOD_ORDER else 9):
            operation = item[method]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            responses = [
                (
                    code,
                    answer.get("description", ""),
                    type_label(
                        answer.get("content", {}).get("application/json", {}).get("schema", {})
                    )
                    if answer.get("content")
                    else "",
                )
                for code, answer in sorted(operation.get("responses", {}).items())
            ]
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=operation.get("parameters", []),
                    body=type_label(body["schema"]) if body else None,
                    responses=responses,
                    anchor=operation.get("operationId", f"{method}-{path}"),
                    scopes=scopes_needed(operation),
                )
            )
    return groups


def scopes_needed(operation: dict[str, Any]) -> list[str]:
    """The token scopes an operation's security requirement lists."""
    requirements = operation.get("security", [])
    return sorted({scope for need in requirements for scopes in need.values() for scope in scopes})


def models(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    schemas = spec.get("components", {}).get("schemas", {})
    return sorted(schemas.items())
