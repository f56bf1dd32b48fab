package crs

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// GaussKruger is a CGCS2000 Gauss–Krüger zone: a transverse Mercator
// projection of the CGCS2000 ellipsoid as China uses it, scale 1 on the
// central meridian, false northing 0, false easting 500 000 m, plus
// zone × 1 000 000 m when the zone number is written in front of the
// easting. Its positions are (easting, northing) in metres. Get one from
// GaussKrugerEPSG; treat its fields as read-only.
//
// Forward and inverse use Krüger's series in the third flattening n to order
// n⁶ (the form of Karney, "Transverse Mercator with an accuracy of a few
// nanometers", J. Geodesy 85, 2011, equations 35 and 36), and the exact
// relation between geographic and conformal latitude inverted by Newton's
// method. Within 3 900 km of the central meridian the series is exact to a
// few nanometres; a forward/inverse round trip inside a zone comes back to
// well under a micrometre. Against PROJ (EPSG:4490 → EPSG:4528) the inverse
// agrees to under 1 mm (see the tests).
type GaussKruger struct {
	EPSG          int     // EPSG code, 4491…4554
	Zone          int     // zone number
	Width         int     // zone width in degrees: 3 or 6
	Lon0          float64 // central meridian, degrees east
	FalseEasting  float64 // false easting, metres
	ZoneInEasting bool    // zone number written in front of the easting
	// Name describes the zone for people: "CGCS2000 3-degree Gauss–Krüger
	// zone 40 (central meridian 120°E, false easting 40500000 m)".
	Name string
}

// CGCS2000 ellipsoid (equal to GRS80 to 0.1 mm).
const (
	cgcsA = 6378137.0
	cgcsF = 1 / 298.257222101
)

// kruger holds the series coefficients of the CGCS2000 ellipsoid.
var kruger = newKruger(cgcsF)

type krugerSeries struct {
	e     float64    // first eccentricity
	a     float64    // rectifying radius A, metres
	alpha [6]float64 // forward (geographic → projected)
	beta  [6]float64 // inverse
}

func newKruger(f float64) krugerSeries {
	n := f / (2 - f)
	n2, n3 := n*n, n*n*n
	n4, n5, n6 := n2*n2, n2*n3, n3*n3
	var k krugerSeries
	k.e = math.Sqrt(f * (2 - f))
	k.a = cgcsA / (1 + n) * (1 + n2/4 + n4/64 + n6/256)
	k.alpha = [6]float64{
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
		13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
		61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
		49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
		34729*n5/80640 - 3418889*n6/1995840,
		212378941 * n6 / 319334400,
	}
	k.beta = [6]float64{
		n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
		n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
		17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
		4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
		4583*n5/161280 - 108847*n6/3991680,
		20648693 * n6 / 638668800,
	}
	return k
}

// The CGCS2000 Gauss–Krüger EPSG codes.
const (
	GaussKrugerFirst = 4491 // first CGCS2000 Gauss–Krüger EPSG code
	GaussKrugerLast  = 4554 // last CGCS2000 Gauss–Krüger EPSG code
)

// GaussKrugerEPSG returns the projection of a CGCS2000 Gauss–Krüger EPSG
// code: 4491–4501 (6° zones 13–23, zone in the easting), 4502–4512 (6°,
// central meridians 75°E–135°E, no zone), 4513–4533 (3° zones 25–45, zone in
// the easting), 4534–4554 (3°, central meridians 75°E–135°E, no zone).
// It returns a new value on every call.
func GaussKrugerEPSG(code int) (*GaussKruger, bool) {
	g := &GaussKruger{EPSG: code, FalseEasting: 500000}
	switch {
	case code >= 4491 && code <= 4501:
		g.Width, g.Zone, g.ZoneInEasting = 6, 13+code-4491, true
	case code >= 4502 && code <= 4512:
		g.Width, g.Zone = 6, 13+code-4502
	case code >= 4513 && code <= 4533:
		g.Width, g.Zone, g.ZoneInEasting = 3, 25+code-4513, true
	case code >= 4534 && code <= 4554:
		g.Width, g.Zone = 3, 25+code-4534
	default:
		return nil, false
	}
	if g.Width == 3 {
		g.Lon0 = 3 * float64(g.Zone)
	} else {
		g.Lon0 = 6*float64(g.Zone) - 3
	}
	if g.ZoneInEasting {
		g.FalseEasting += float64(g.Zone) * 1e6
		g.Name = fmt.Sprintf("CGCS2000 %d-degree Gauss–Krüger zone %d (central meridian %g°E, false easting %.0f m)", g.Width, g.Zone, g.Lon0, g.FalseEasting)
	} else {
		g.Name = fmt.Sprintf("CGCS2000 %d-degree Gauss–Krüger central meridian %g°E (false easting 500000 m, no zone number)", g.Width, g.Lon0)
	}
	return g, true
}

// EPSGOfEasting returns the CGCS2000 Gauss–Krüger EPSG code whose zone
// number easting x (metres) carries in front, or 0: an easting of
// 40 528 378 m names zone 40, EPSG:4528.
func EPSGOfEasting(x float64) int {
	if x < 1e7 || x >= 1e8 {
		return 0
	}
	zone := int(x / 1e6)
	switch {
	case zone >= 25 && zone <= 45:
		return 4513 + zone - 25
	case zone >= 13 && zone <= 23:
		return 4491 + zone - 13
	}
	return 0
}

// Forward projects (lon, lat) degrees, CGCS2000, to (easting, northing)
// metres in zone g.
func (g *GaussKruger) Forward(p orb.Point) orb.Point {
	k := &kruger
	phi := p[1] * math.Pi / 180
	lam := (p[0] - g.Lon0) * math.Pi / 180
	s := math.Sin(phi)
	t := math.Sinh(math.Atanh(s) - k.e*math.Atanh(k.e*s)) // tan of the conformal latitude
	xi1 := math.Atan2(t, math.Cos(lam))
	eta1 := math.Atanh(math.Sin(lam) / math.Sqrt(1+t*t))
	xi, eta := xi1, eta1
	for j := 1; j <= 6; j++ {
		a := k.alpha[j-1]
		xi += a * math.Sin(2*float64(j)*xi1) * math.Cosh(2*float64(j)*eta1)
		eta += a * math.Cos(2*float64(j)*xi1) * math.Sinh(2*float64(j)*eta1)
	}
	return orb.Point{g.FalseEasting + k.a*eta, k.a * xi}
}

// Inverse takes (easting, northing) metres in zone g to (lon, lat)
// degrees, CGCS2000.
func (g *GaussKruger) Inverse(p orb.Point) orb.Point {
	k := &kruger
	xi := p[1] / k.a
	eta := (p[0] - g.FalseEasting) / k.a
	xi1, eta1 := xi, eta
	for j := 1; j <= 6; j++ {
		b := k.beta[j-1]
		xi1 -= b * math.Sin(2*float64(j)*xi) * math.Cosh(2*float64(j)*eta)
		eta1 -= b * math.Cos(2*float64(j)*xi) * math.Sinh(2*float64(j)*eta)
	}
	sh := math.Sinh(eta1)
	c := math.Cos(xi1)
	tau1 := math.Sin(xi1) / math.Sqrt(sh*sh+c*c) // tan of the conformal latitude
	lam := math.Atan2(sh, c)
	tau := tauFromConformal(tau1, k.e)
	return orb.Point{g.Lon0 + lam*180/math.Pi, math.Atan(tau) * 180 / math.Pi}
}

// tauFromConformal solves tan φ from the tangent of the conformal latitude
// by Newton's method (Karney 2011, equations 19–21).
func tauFromConformal(tau1, e float64) float64 {
	e2 := e * e
	tau := tau1
	for i := 0; i < 10; i++ {
		sq := math.Sqrt(1 + tau*tau)
		sigma := math.Sinh(e * math.Atanh(e*tau/sq))
		ti := tau*math.Sqrt(1+sigma*sigma) - sigma*sq
		d := (tau1 - ti) / math.Sqrt(1+ti*ti) * (1 + (1-e2)*tau*tau) / ((1 - e2) * sq)
		tau += d
		if math.Abs(d) < 1e-14 {
			break
		}
	}
	return tau
}

// Fits reports whether easting x (metres) can belong to g: the zone
// number, when written in the easting, must be g's, and without one the
// easting must not carry a zone prefix.
func (g *GaussKruger) Fits(x float64) bool {
	if g.ZoneInEasting {
		return int(math.Floor(x/1e6)) == g.Zone
	}
	return x > 0 && x < 1e6
}
