from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.case_patch_status_type_0 import CasePatchStatusType0, check_case_patch_status_type_0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_attempt import ContactAttempt


T = TypeVar("T", bound="CasePatch")


@_attrs_define
class CasePatch:
    """Any of: assign (null unassigns), log a contact attempt, change the status.

    Applied in that order, all or nothing. Allowed moves: open → contacted →
    resolved, and open or contacted → unreachable; resolved and unreachable are
    final. Others answer 409.

        Attributes:
            assignee (None | str | Unset):
            contact_attempt (ContactAttempt | None | Unset):
            resolution (None | str | Unset): Required to resolve.
            status (CasePatchStatusType0 | None | Unset):
    """

    assignee: None | str | Unset = UNSET
    contact_attempt: ContactAttempt | None | Unset = UNSET
    resolution: None | str | Unset = UNSET
    status: CasePatchStatusType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.contact_attempt import ContactAttempt  # noqa: PLC0415

        assignee: None | str | Unset
        if isinstance(self.assignee, Unset):
            assignee = UNSET
        else:
            assignee = self.assignee

        contact_attempt: dict[str, Any] | None | Unset
        if isinstance(self.contact_attempt, Unset):
            contact_attempt = UNSET
        elif isinstance(self.contact_attempt, ContactAttempt):
            contact_attempt = self.contact_attempt.to_dict()
        else:
            contact_attempt = self.contact_attempt

        resolution: None | str | Unset
        if isinstance(self.resolution, Unset):
            resolution = UNSET
        else:
            resolution = self.resolution

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, str):
            status = self.status
        else:
            status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if assignee is not UNSET:
            field_dict["assignee"] = assignee
        if contact_attempt is not UNSET:
            field_dict["contact_attempt"] = contact_attempt
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_attempt import ContactAttempt  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_assignee(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assignee = _parse_assignee(d.pop("assignee", UNSET))

        def _parse_contact_attempt(data: object) -> ContactAttempt | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contact_attempt_type_0 = ContactAttempt.from_dict(data)

                return contact_attempt_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContactAttempt | None | Unset, data)

        contact_attempt = _parse_contact_attempt(d.pop("contact_attempt", UNSET))

        def _parse_resolution(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resolution = _parse_resolution(d.pop("resolution", UNSET))

        def _parse_status(data: object) -> CasePatchStatusType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = check_case_patch_status_type_0(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CasePatchStatusType0 | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        case_patch = cls(
            assignee=assignee,
            contact_attempt=contact_attempt,
            resolution=resolution,
            status=status,
        )

        return case_patch
