"""The centre's register of staff authorised to sign registration forms in an applicant's place, by channel
(:class:`employment.domain.rules.channels.SignerRegister`), from the officials of the ecosystem's catalogue.

- STATE_CORPORATION (JS-12): the State Corporation's operator, with a certificate of the State Corporation or of
  the centre (its worker seated there, Rules No. 259 §30);
- OFFICE (``000 §5 action 1``): the office specialist and the director, with the centre's certificates;
- RURAL_ASSISTANT (JS-13): the assistant at the rural akimat, a worker of the centre (Rules No. 259 §2 sub.2),
  with the centre's certificate.
"""

from __future__ import annotations

from ecosystem.catalogue import official, system
from employment.domain.rules.channels import Channel, ChannelStaff, SignerRegister


def staff_register() -> SignerRegister:
    centre = system("employment").bin
    state_corporation = system("state_corp").bin

    def people(*roles: str) -> frozenset[str]:
        return frozenset(official(role).iin for role in roles)

    return SignerRegister(
        {
            Channel.STATE_CORPORATION: ChannelStaff(
                frozenset({state_corporation, centre}), people("state-corp-operator")
            ),
            Channel.OFFICE: ChannelStaff(frozenset({centre}), people("employment-worker", "employment-director")),
            Channel.RURAL_ASSISTANT: ChannelStaff(frozenset({centre}), people("rural-assistant")),
        }
    )


# The organisation where an application is registered, by channel, as the stage reports name it (``registerOrg``):
# the State Corporation for its channel; the centre itself for the others (the default), the rural assistant
# being its worker.
REGISTER_ORGS: dict[str, str] = {Channel.STATE_CORPORATION.value: system("state_corp").organisation}
