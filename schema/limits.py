"""A simple query cost limit: one point a field, a list field's selection multiplied by its page size."""

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
    get_named_type,
)

PAGE_ARGUMENTS = ("first", "last", "limit")


def _is_list(kind: GraphQLOutputType) -> bool:
    while isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList)


def cost_limit(max_cost: int, default_page_size: int = 10) -> type[ValidationRule]:
    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            root = self.context.schema.get_root_type(node.operation)
            if root is None:
                return
            cost = self._cost(node.selection_set, root, frozenset())
            if cost > max_cost:
                self.report_error(GraphQLError(f"query cost {cost} exceeds the limit of {max_cost}", node))

        def _cost(self, selections: SelectionSetNode, parent: GraphQLNamedType, seen: frozenset[str]) -> int:
            total = 0
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    total += self._field_cost(selection, parent, seen)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    kind = self.context.schema.get_type(condition.name.value) if condition else parent
                    total += self._cost(selection.selection_set, kind or parent, seen)
                elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                    fragment = self.context.get_fragment(selection.name.value)
                    if fragment is not None:
                        kind = self.context.schema.get_type(fragment.type_condition.name.value)
                        total += self._cost(fragment.selection_set, kind or parent,
                                            seen | {selection.name.value})
            return total

        def _field_cost(self, node: FieldNode, parent: GraphQLNamedType, seen: frozenset[str]) -> int:
            name = node.name.value
            if name.startswith("__"):  # introspection is off in production and cheap elsewhere
                return 0
            definition = getattr(parent, "fields", {}).get(name)
            if definition is None:
                return 1
            child = 0
            if node.selection_set is not None:
                child = self._cost(node.selection_set, get_named_type(definition.type), seen)
            size = 1
            if _is_list(definition.type):
                size = default_page_size
                for argument in node.arguments or ():
                    if argument.name.value in PAGE_ARGUMENTS and isinstance(argument.value, IntValueNode):
                        size = int(argument.value.value)
            return 1 + size * child

    return CostLimit
