from typing import Literal

MetricsServiceProfitChainFormatType0 = Literal["csv", "json"]

METRICS_SERVICE_PROFIT_CHAIN_FORMAT_TYPE_0_VALUES: set[MetricsServiceProfitChainFormatType0] = {
    "csv",
    "json",
}


def check_metrics_service_profit_chain_format_type_0(value: str) -> MetricsServiceProfitChainFormatType0:
    if value in METRICS_SERVICE_PROFIT_CHAIN_FORMAT_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {METRICS_SERVICE_PROFIT_CHAIN_FORMAT_TYPE_0_VALUES!r}"
    )
