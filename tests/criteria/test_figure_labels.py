from criteria import metrics
from enterprises.models import FiscalYearRecord


def test_the_engine_names_each_yearly_figure_with_the_models_label():
    assert metrics.FIGURES == FiscalYearRecord.figure_labels()


def test_the_engine_and_the_model_agree_on_which_figures_are_money():
    assert metrics.MONEY_FIGURES == set(FiscalYearRecord.MONEY_FIGURES)


def test_the_api_and_the_profile_builders_read_every_yearly_figure():
    from criteria import profile_input
    from criteria.selfassess import FinancialInputSerializer

    assert set(profile_input.MONEY_FIELDS) == set(FiscalYearRecord.MONEY_FIGURES)
    assert set(profile_input.INT_FIELDS) == set(FiscalYearRecord.COUNT_FIGURES)
    assert set(FinancialInputSerializer().fields) == {"year", *FiscalYearRecord.FIGURES}
