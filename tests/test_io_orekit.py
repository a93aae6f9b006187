"""sim's CCSDS OEM against Orekit's (marker ``validation``): each reads what the other writes.

* An OEM written by sim (ISS by SGP4, a ROS candidate by J2) is parsed by Orekit's OEM parser:
  every state equal to sim's to 1 mm and 1 mm/s, in the frame named by REF_FRAME (GCRF,
  EME2000, TEME, ITRF as Orekit maps them) and at the UTC times written; Orekit's own
  GCRF -> EME2000 transformation of the GCRF file equals sim's EME2000 file to 1 mm (sim's
  frame bias is Orekit's).
* An OEM written by Orekit (the ISS numerically propagated with J2 in EME2000, 60 s samples,
  Orekit's EphemerisOemWriter) is read by sim: between the samples its interpolation matches
  Orekit's propagator to 1 m.
Orekit's JVM and data: the ``orekit`` fixture of ``tests/conftest.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from validation import record

import sim
from sim import constants as C
from sim import io
from sim.timeutil import seconds_between, time_range

pytestmark = pytest.mark.validation

START = "2025-08-11T00:00:00"


def _utc_date(t):
    """Orekit AbsoluteDate (UTC) of one astropy time, from its calendar fields."""
    from org.orekit.time import AbsoluteDate, TimeScalesFactory

    d = t.utc.to_datetime()
    return AbsoluteDate(d.year, d.month, d.day, d.hour, d.minute, d.second + d.microsecond * 1e-6,
                        TimeScalesFactory.getUTC())  # fmt: skip


def _parse(path):
    from java.io import File
    from org.orekit.data import DataSource
    from org.orekit.files.ccsds.ndm import ParserBuilder

    return ParserBuilder().buildOemParser().parseMessage(DataSource(File(str(path))))


def _pv(coords):
    r = np.array([[c.getPosition().getX(), c.getPosition().getY(), c.getPosition().getZ()] for c in coords])
    v = np.array([[c.getVelocity().getX(), c.getVelocity().getY(), c.getVelocity().getZ()] for c in coords])
    return r, v


@pytest.fixture(scope="module")
def stations():
    iss = sim.presets.get("iss")
    ros = sim.Orbit.circular(400.0, 96.8, 30.0, names=["ROS 96.8"], epoch=iss.epoch[0])
    return iss, ros


def test_orekit_reads_sims_oem_state_for_state(orekit, stations, tmp_path):  # noqa: F811
    from org.orekit.files.ccsds.definitions import TimeSystem
    from org.orekit.frames import FramesFactory

    t = time_range(START, days=0.03, step_s=60.0)
    gcrf = FramesFactory.getGCRF()
    expect = {"GCRS": "GCRF", "EME2000": "EME2000", "TEME": "TEME", "ITRS": "ITRF"}
    worst_r = worst_v = 0.0
    for frame in ("GCRS", "EME2000", "TEME", "ITRS"):
        for orbit, model in zip(stations, ("sgp4", "j2")):
            path = io.write_oem(orbit, t, tmp_path / f"{orbit.names[0]}_{frame}.oem", model=model, frame=frame)
            seg = list(_parse(path).getSegments())[0]
            assert str(seg.getMetadata().getTimeSystem()) == str(TimeSystem.UTC)
            assert str(seg.getMetadata().getObjectName()) == orbit.names[0]
            assert str(seg.getFrame().getName()).startswith(expect[frame]), str(seg.getFrame().getName())
            coords = list(seg.getCoordinates())
            assert len(coords) == len(t)
            # times: the first by its calendar fields, the others by their SI offsets from it
            assert abs(coords[0].getDate().durationFrom(_utc_date(t[0]))) < 1e-6
            off = np.array([c.getDate().durationFrom(coords[0].getDate()) for c in coords])
            np.testing.assert_allclose(off, seconds_between(t[0], t), atol=1e-6)
            # states: sim's own reading of the file holds them in GCRS for EME2000 (sim's frame
            # bias); Orekit's EME2000 -> GCRF transformation must give the same numbers
            eph = io.read_oem(path).ephemerides[0]
            if frame == "EME2000":
                coords = [seg.getFrame().getTransformTo(gcrf, c.getDate()).transformPVCoordinates(c) for c in coords]
            r_o, v_o = _pv(coords)
            assert np.abs(r_o - eph.r).max() < 1e-3  # m
            assert np.abs(v_o - eph.v).max() < 1e-3  # m/s
            worst_r = max(worst_r, float(np.abs(r_o - eph.r).max()))
            worst_v = max(worst_v, float(np.abs(v_o - eph.v).max()))
            # and the positions are those of sim's propagator in that frame
            r_m = orbit.propagate(t, model=model, frame="GCRS" if frame == "EME2000" else frame)[0][0]
            assert np.abs(r_o - r_m).max() < 1e-3
    src = "Orekit OEM parser (GCRF, EME2000, TEME, ITRF; UTC)"
    record("OEM written by sim, read by Orekit: max position difference", worst_r, None, 1e-3, "m", src)
    record("OEM written by sim, read by Orekit: max velocity difference", worst_v, None, 1e-3, "m/s", src)


def test_sim_reads_orekits_oem_to_a_metre_between_samples(orekit, tmp_path):  # noqa: F811
    from astropy.time import TimeDelta
    from java.util import ArrayList
    from org.hipparchus.geometry.euclidean.threed import Vector3D
    from org.hipparchus.ode.nonstiff import DormandPrince853Integrator
    from org.orekit.files.ccsds.definitions import BodyFacade, CenterName, FrameFacade, TimeSystem
    from org.orekit.files.ccsds.ndm import WriterBuilder
    from org.orekit.files.ccsds.ndm.odm import OdmHeader
    from org.orekit.files.ccsds.ndm.odm.oem import EphemerisOemWriter, InterpolationMethod, OemMetadata
    from org.orekit.files.ccsds.utils import FileFormat
    from org.orekit.files.general import OrekitEphemerisFile
    from org.orekit.forces.gravity import J2OnlyPerturbation
    from org.orekit.frames import FramesFactory
    from org.orekit.orbits import CartesianOrbit, OrbitType
    from org.orekit.propagation import SpacecraftState
    from org.orekit.propagation.numerical import NumericalPropagator
    from org.orekit.utils import IERSConventions, PVCoordinates

    iss = sim.presets.get("iss")
    t0 = sim.to_time(START)
    r0, v0 = iss.propagate(t0, model="sgp4", frame="GCRS")
    gcrf, eme = FramesFactory.getGCRF(), FramesFactory.getEME2000()
    itrf = FramesFactory.getITRF(IERSConventions.IERS_2010, True)
    date0 = _utc_date(t0[0])
    pv = PVCoordinates(Vector3D(*map(float, r0[0, 0])), Vector3D(*map(float, v0[0, 0])))
    pv_eme = gcrf.getTransformTo(eme, date0).transformPVCoordinates(pv)
    prop = NumericalPropagator(DormandPrince853Integrator(1e-6, 300.0, 1e-6, 1e-13))
    prop.setOrbitType(OrbitType.CARTESIAN)
    prop.addForceModel(J2OnlyPerturbation(C.MU_EARTH, C.R_EARTH, C.J2, itrf))
    prop.setInitialState(SpacecraftState(CartesianOrbit(pv_eme, eme, date0, C.MU_EARTH)))
    gen = prop.getEphemerisGenerator()
    hours = 3.0
    prop.propagate(date0.shiftedBy(hours * 3600.0))
    bounded = gen.getGeneratedEphemeris()
    states = ArrayList()
    for k in range(int(hours * 60) + 1):
        states.add(bounded.propagate(date0.shiftedBy(60.0 * k)))
    efile = OrekitEphemerisFile()
    efile.addSatellite("1998-067A").addNewSegment(states, 8)
    meta = OemMetadata(1)
    meta.setObjectName("ISS")
    meta.setObjectID("1998-067A")
    meta.setCenter(BodyFacade.create(CenterName.EARTH))
    meta.setReferenceFrame(FrameFacade.map(eme))
    meta.setTimeSystem(TimeSystem.UTC)
    meta.setInterpolationMethod(InterpolationMethod.HERMITE)
    meta.setInterpolationDegree(7)
    path = tmp_path / "orekit_iss.oem"
    writer = EphemerisOemWriter(WriterBuilder().buildOemWriter(), OdmHeader(), meta, FileFormat.KVN, "iss", 60.0, 0)
    writer.write(str(path), efile)
    text = path.read_text()
    assert "REF_FRAME" in text and "EME2000" in text and "HERMITE" in text
    back = io.read_oem(path)
    eph = back.ephemerides[0]
    assert len(eph) == int(hours * 60) + 1 and eph.method == "HERMITE"
    # between the samples (30 s off them) sim's interpolation against Orekit's own propagator, in GCRF
    mid = time_range(t0.tai + TimeDelta(30.0, format="sec"), days=hours / 24.0 - 1.0 / 1440.0, step_s=60.0)
    r_s, v_s = back.propagate(mid, model="ephemeris", frame="GCRS")
    ref = [bounded.propagate(_utc_date(m)).getPVCoordinates(gcrf) for m in mid]
    r_o, v_o = _pv(ref)
    err = np.linalg.norm(r_s[0] - r_o, axis=-1)
    assert err.max() < 1.0, err.max()
    assert np.linalg.norm(v_s[0] - v_o, axis=-1).max() < 1e-2
    record(
        f"OEM written by Orekit (ISS, numerical J2, 60 s), read by sim ({eph.method} {eph.degree}): max position "
        "difference between samples",
        float(err.max()),
        None,
        1.0,
        "m",
        "Orekit NumericalPropagator + EphemerisOemWriter",
    )
