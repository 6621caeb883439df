"""Limits on an operation's shape, checked before graphql-core validates it: page sizes, depth, aliases, fields
and cost.

Each fragment is measured once (per enclosing page size) and reused wherever it is spread, so the work grows
with the document's length however its fragments fan out; a step budget bounds it anyway. A document over a
limit is refused without running graphql-core's rules at all.

Cost is a point a field, a list field's selection multiplied by its page size: its `first`/`last`/`limit`,
written inline or passed as a variable (clients send variables: Apollo never inlines them); a connection's
size also bounds its `edges`. Lists without one count as `default_page_size`. Page sizes are checked first
(1 up to the argument's `@pageSize(max:)`), so a negative page cannot make a query cheap.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from domain.errors import ErrorCode
from schema.pagination import PageSize

PAGE_ARGUMENTS = ("first", "last", "limit")


@dataclass(frozen=True)
class ShapeLimits:
    max_depth: int
    max_aliases: int
    max_fields: int
    max_cost: int
    default_page_size: int = 10
    max_steps: int = 20_000
    """Selections visited per operation; a document within the other limits needs far fewer."""


@dataclass(frozen=True)
class _Shape:
    depth: int = 0
    aliases: int = 0
    fields: int = 0
    cost: int = 0

    def __add__(self, other: "_Shape") -> "_Shape":
        return _Shape(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.fields + other.fields,
            self.cost + other.cost,
        )


class _Refused(Exception):
    def __init__(self, error: GraphQLError) -> None:
        super().__init__(error.message)
        self.error = error


def _refusal(message: str, nodes: Any = None, **details: object) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": ErrorCode.BAD_USER_INPUT.value, **details})


def _is_list(kind: GraphQLOutputType) -> bool:
    while isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList)


def shape_errors(
    schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any], limits: ShapeLimits
) -> list[GraphQLError]:
    """The first limit each operation of the document breaks (none when all hold)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    errors: list[GraphQLError] = []
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        root = schema.get_root_type(operation.operation)
        if root is None:
            continue
        measure = _Measure(schema, fragments, _PageSizes(variables, operation), limits)
        try:
            shape = measure.selections(operation.selection_set, root, None)
        except _Refused as refused:
            errors.append(refused.error)
            continue
        name = operation.name.value if operation.name else "anonymous"
        if shape.depth > limits.max_depth:
            errors.append(_refusal(f"'{name}' exceeds maximum operation depth of {limits.max_depth}", operation))
        elif shape.aliases > limits.max_aliases:
            errors.append(_refusal(f"{shape.aliases} aliases found. Allowed: {limits.max_aliases}", operation))
        elif shape.fields > limits.max_fields:
            errors.append(
                _refusal(
                    f"the operation selects {shape.fields} fields once its fragments are expanded; "
                    f"the limit is {limits.max_fields}",
                    operation,
                )
            )
        elif shape.cost > limits.max_cost:
            errors.append(_refusal(f"query cost {shape.cost} exceeds the limit of {limits.max_cost}", operation))
    return errors


class _Measure:
    """One operation's shape; a fragment's is computed once per page size it is spread under."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        page_sizes: "_PageSizes",
        limits: ShapeLimits,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.page_sizes = page_sizes
        self.limits = limits
        self.memo: dict[tuple[str, int | None], _Shape] = {}
        self.entered: set[str] = set()  # a cycle is graphql-core's error to report; here it counts nothing
        self.steps = 0

    def selections(self, node: SelectionSetNode, parent: GraphQLNamedType | None, page: int | None) -> _Shape:
        """`page` is the enclosing connection's size: it bounds its edges, which take no arguments."""
        total = _Shape()
        for selection in node.selections:
            self.steps += 1
            if self.steps > self.limits.max_steps:
                raise _Refused(
                    _refusal(
                        f"the document is too complex to check (over {self.limits.max_steps} "
                        "selections once its fragments are expanded)"
                    )
                )
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                kind = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, kind, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, page)
        return total

    def _fragment(self, name: str, page: int | None) -> _Shape:
        key = (name, page)
        if key not in self.memo:
            fragment = self.fragments.get(name)
            if fragment is None or name in self.entered:
                return _Shape()
            self.entered.add(name)
            kind = self.schema.get_type(fragment.type_condition.name.value)
            self.memo[key] = self.selections(fragment.selection_set, kind, page)
            self.entered.discard(name)
        return self.memo[key]

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None, page: int | None) -> _Shape:
        definition = getattr(parent, "fields", {}).get(node.name.value)
        own_page = self.page_sizes.of(node, definition.args if definition is not None else {})
        child = _Shape()
        if node.selection_set is not None:
            kind = get_named_type(definition.type) if definition is not None else None
            child = self.selections(node.selection_set, kind, own_page)
        aliases = child.aliases + (1 if node.alias else 0)
        if node.name.value.startswith("__"):  # introspection: off in production, cheap and deep elsewhere
            return _Shape(0, aliases, 1 + child.fields, 0)
        depth = 1 + child.depth if node.selection_set is not None else 0
        size = 1
        if definition is not None and _is_list(definition.type):
            size = own_page or page or self.limits.default_page_size
        return _Shape(depth, aliases, 1 + child.fields, 1 + size * child.cost)


class _PageSizes:
    """A field's page size from its arguments, reading variables (or their declared defaults) when used; one
    outside 1..the argument's `@pageSize` maximum is refused."""

    def __init__(self, variables: Mapping[str, Any], operation: OperationDefinitionNode) -> None:
        self.variables = variables
        self.defaults: dict[str, ValueNode | None] = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
        }

    def of(self, node: FieldNode, arguments: Mapping[str, GraphQLArgument]) -> int | None:
        size: int | None = None
        for argument in node.arguments or ():
            name = argument.name.value
            if name not in PAGE_ARGUMENTS:
                continue
            value = self._value(argument.value)
            if value is None:
                continue
            maximum = _maximum(arguments.get(name))
            if value < 1 or (maximum is not None and value > maximum):
                bounds = f"between 1 and {maximum}" if maximum is not None else "at least 1"
                raise _Refused(_refusal(f"{name} must be {bounds}", argument, field=name))
            size = size or value
        return size

    def _value(self, value: ValueNode) -> int | None:
        if isinstance(value, VariableNode):
            name = value.name.value
            given = self.variables.get(name)
            if isinstance(given, int) and not isinstance(given, bool):
                return given
            value = self.defaults.get(name) or value
        if isinstance(value, IntValueNode):
            return int(value.value)
        return None


def _maximum(argument: GraphQLArgument | None) -> int | None:
    """The `@pageSize(max:)` declared on the argument, if any."""
    definition = (argument.extensions or {}).get("strawberry-definition") if argument is not None else None
    for directive in getattr(definition, "directives", None) or ():
        if isinstance(directive, PageSize):
            return directive.max
    return None


class QueryShapeLimits(SchemaExtension):
    """Runs before graphql-core's validation (page sizes arrive as variables, so per operation), and skips it
    for a document it refuses: a shape attack costs milliseconds, not graphql-core's walk of every spread."""

    def __init__(self, limits: ShapeLimits) -> None:
        self.limits = limits

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            variables = context.variables if isinstance(context.variables, Mapping) else {}
            errors = shape_errors(context.schema._schema, context.graphql_document, variables, self.limits)
            if errors:
                context.pre_execution_errors = errors
        yield
