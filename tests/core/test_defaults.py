"""Empty defaults of models' list and dict fields: a new object each time, as list() and dict() give."""

from scm_access.core.defaults import empty_dict, empty_list
from scm_access.declarations import IntegrationField, Policy


def test_each_call_gives_a_new_empty_list_and_dict():
    assert empty_list() == [] and empty_list() is not empty_list()
    assert empty_dict() == {} and empty_dict() is not empty_dict()


def test_two_models_never_share_a_default():
    first, second = (IntegrationField(location="Settings", field="Token") for _ in range(2))
    assert first.steps == [] and first.steps is not second.steps
    assert Policy().forbidden_scopes is not Policy().forbidden_scopes


def test_a_factory_default_is_no_default_in_the_json_schema():
    # As with default_factory=list: the schema says nothing of a default it cannot show.
    assert "default" not in IntegrationField.model_json_schema()["properties"]["steps"]
