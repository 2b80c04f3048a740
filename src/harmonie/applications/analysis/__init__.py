"""Pure-Python analysis of application landscapes (no Django imports).

* ``dates``     – ISO and Dutch dates;
* ``overlap``   – referentiecomponent × partner: applications, distinct products, suppliers, costs and
                  the common contract window;
* ``time``      – TIME proposals (Tolerate, Invest, Migrate, Eliminate) across partners;
* ``mapping``   – suggestions of referentiecomponenten for application names (rapidfuzz);
* ``archimate`` – valid ArchiMate 3.1 types and structural checks of an exchange model.
"""
