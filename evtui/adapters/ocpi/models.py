"""OCPI 2.2.1 sessions and CDRs as lenient models (the 2.1.1 spellings accepted), every field optional."""

from __future__ import annotations

from typing import Any

from evtui.adapters.api import ProviderModel

Number = float | int


class Price(ProviderModel):
    excl_vat: Number | None = None
    incl_vat: Number | None = None


class CdrToken(ProviderModel):
    country_code: str | None = None
    party_id: str | None = None
    uid: str | None = None
    type: str | None = None
    contract_id: str | None = None


class Dimension(ProviderModel):
    type: str | None = None
    volume: Number | None = None


class ChargingPeriod(ProviderModel):
    start_date_time: str | None = None
    #: Items optional: lenient validation replaces a bad item by None, which must then fit.
    dimensions: list[Dimension | None] | None = None
    tariff_id: str | None = None


class GeoLocation(ProviderModel):
    #: Strings in OCPI ("51.047599"); numbers are flagged.
    latitude: str | None = None
    longitude: str | None = None


class CdrLocation(ProviderModel):
    id: str | None = None
    name: str | None = None
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    state: str | None = None
    #: ISO 3166-1 alpha-3.
    country: str | None = None
    coordinates: GeoLocation | None = None
    evse_uid: str | None = None
    evse_id: str | None = None
    connector_id: str | None = None
    connector_standard: str | None = None
    connector_format: str | None = None
    connector_power_type: str | None = None


class PriceComponent(ProviderModel):
    type: str | None = None
    price: Number | None = None
    vat: Number | None = None
    step_size: int | None = None


class TariffElement(ProviderModel):
    price_components: list[PriceComponent | None] | None = None
    restrictions: dict[str, Any] | None = None


class Tariff(ProviderModel):
    country_code: str | None = None
    party_id: str | None = None
    id: str | None = None
    currency: str | None = None
    type: str | None = None
    tariff_alt_text: list[dict[str, Any] | None] | None = None
    tariff_alt_url: str | None = None
    min_price: Price | None = None
    max_price: Price | None = None
    elements: list[TariffElement | None] | None = None
    energy_mix: dict[str, Any] | None = None
    start_date_time: str | None = None
    end_date_time: str | None = None
    last_updated: str | None = None


class SignedValue(ProviderModel):
    nature: str | None = None
    plain_data: str | None = None
    signed_data: str | None = None


class SignedData(ProviderModel):
    encoding_method: str | None = None
    encoding_method_version: int | None = None
    public_key: str | None = None
    signed_values: list[SignedValue | None] | None = None
    url: str | None = None


class _Common(ProviderModel):
    country_code: str | None = None
    party_id: str | None = None
    id: str | None = None
    start_date_time: str | None = None
    end_date_time: str | None = None
    cdr_token: CdrToken | None = None
    auth_method: str | None = None
    authorization_reference: str | None = None
    meter_id: str | None = None
    currency: str | None = None
    charging_periods: list[ChargingPeriod | None] | None = None
    #: A number in OCPI 2.1.1 (flagged), {excl_vat, incl_vat} in 2.2.1.
    total_cost: Price | Number | None = None
    last_updated: str | None = None
    # OCPI 2.1.1 spellings, accepted and flagged by the presentation.
    start_datetime: str | None = None
    end_datetime: str | None = None
    stop_date_time: str | None = None
    auth_id: str | None = None
    #: OCPI 2.1.1: the Location object (2.2.1 sends location_id / cdr_location).
    location: "Location211 | None" = None


class OcpiSession(_Common):
    kwh: Number | None = None
    location_id: str | None = None
    evse_uid: str | None = None
    connector_id: str | None = None
    status: str | None = None


class OcpiCdr(_Common):
    session_id: str | None = None
    cdr_location: CdrLocation | None = None
    tariffs: list[Tariff | None] | None = None
    signed_data: SignedData | None = None
    total_fixed_cost: Price | None = None
    total_energy: Number | None = None
    total_energy_cost: Price | None = None
    total_time: Number | None = None
    total_time_cost: Price | None = None
    total_parking_time: Number | None = None
    total_parking_cost: Price | None = None
    total_reservation_cost: Price | None = None
    remark: str | None = None
    invoice_reference_id: str | None = None
    credit: bool | None = None
    credit_reference_id: str | None = None
    home_charging_compensation: bool | None = None


# -- OCPI 2.1.1: a CDR or session carries the whole Location object ---------------------


class Connector211(ProviderModel):
    id: str | None = None
    standard: str | None = None
    format: str | None = None
    power_type: str | None = None
    voltage: int | None = None
    amperage: int | None = None
    tariff_id: str | None = None
    last_updated: str | None = None


class Evse211(ProviderModel):
    uid: str | None = None
    evse_id: str | None = None
    status: str | None = None
    connectors: list[Connector211 | None] | None = None
    last_updated: str | None = None


class Location211(ProviderModel):
    id: str | None = None
    type: str | None = None
    name: str | None = None
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    coordinates: GeoLocation | None = None
    evses: list[Evse211 | None] | None = None
    time_zone: str | None = None
    last_updated: str | None = None
