"""Phone numbers in E.164 form, parsed and validated by `phonenumbers` (Google's libphonenumber metadata)."""

import phonenumbers


class PhoneNumberParser:
    def normalise(self, raw: str, region: str | None) -> str | None:
        if not raw or len(raw) > 64:
            return None
        try:
            parsed = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(parsed):
            return None
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
