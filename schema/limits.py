"""A simple query cost limit: one point a field, a list field's selection multiplied by its page size.

The page size is the field's `first`/`last`/`limit`, written inline or passed as a variable (clients send
variables: Apollo never inlines them); a connection's size also bounds its `edges`. Lists without one count as
`default_page_size`.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLOutputType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    ValueNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

PAGE_ARGUMENTS = ("first", "last", "limit")


def _is_list(kind: GraphQLOutputType) -> bool:
    while isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList)


def cost_limit(max_cost: int, variables: Mapping[str, Any], default_page_size: int = 10) -> type[ValidationRule]:
    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            root = self.context.schema.get_root_type(node.operation)
            if root is None:
                return
            defaults = {definition.variable.name.value: definition.default_value
                        for definition in node.variable_definitions or ()}
            self._page_sizes = _PageSizes(variables, defaults)
            cost = self._cost(node.selection_set, root, frozenset(), None)
            if cost > max_cost:
                self.report_error(GraphQLError(f"query cost {cost} exceeds the limit of {max_cost}", node))

        def _cost(self, selections: SelectionSetNode, parent: GraphQLNamedType, seen: frozenset[str],
                  page: int | None) -> int:
            total = 0
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    total += self._field_cost(selection, parent, seen, page)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    kind = self.context.schema.get_type(condition.name.value) if condition else parent
                    total += self._cost(selection.selection_set, kind or parent, seen, page)
                elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                    fragment = self.context.get_fragment(selection.name.value)
                    if fragment is not None:
                        kind = self.context.schema.get_type(fragment.type_condition.name.value)
                        total += self._cost(fragment.selection_set, kind or parent,
                                            seen | {selection.name.value}, page)
            return total

        def _field_cost(self, node: FieldNode, parent: GraphQLNamedType, seen: frozenset[str],
                        page: int | None) -> int:
            """`page` is the enclosing connection's size: it bounds its edges, which take no arguments."""
            name = node.name.value
            if name.startswith("__"):  # introspection is off in production and cheap elsewhere
                return 0
            definition = getattr(parent, "fields", {}).get(name)
            if definition is None:
                return 1
            own_page = self._page_sizes.of(node)
            child = 0
            if node.selection_set is not None:
                child = self._cost(node.selection_set, get_named_type(definition.type), seen, own_page)
            size = 1
            if _is_list(definition.type):
                size = own_page or page or default_page_size
            return 1 + size * child

    return CostLimit


class _PageSizes:
    """A field's page size from its arguments, reading variables (or their declared defaults) when used."""

    def __init__(self, variables: Mapping[str, Any], defaults: Mapping[str, ValueNode | None]) -> None:
        self.variables = variables
        self.defaults = defaults

    def of(self, node: FieldNode) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                value = argument.value
                if isinstance(value, VariableNode):
                    name = value.name.value
                    if isinstance(self.variables.get(name), int):
                        return int(self.variables[name])
                    value = self.defaults.get(name) or value
                if isinstance(value, IntValueNode):
                    return int(value.value)
        return None


class QueryCostLimit(SchemaExtension):
    """Adds the cost rule per operation, since the page sizes a client asks for arrive as variables."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, cost_limit(self.max_cost, context.variables or {}))
        yield
