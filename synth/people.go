package synth

import (
	"math/rand/v2"
	"strconv"
)

// surnames are the most common Chinese family names, most frequent first
// (each drawn with a weight falling off with its rank).
var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")

// givenChars are characters common in given names.
var givenChars = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国文辉玲红志林燕鹏飞云海波宇晨浩婷雪梅俊峰斌琳欣怡子涵思雨嘉轩晓东丹凤春")

// PersonName draws a synthetic Chinese name: a common surname and a given
// name of one or two characters. It is made up, though it may be some
// real person's name.
func PersonName(rng *rand.Rand) string {
	// rank-weighted surname: the square of a uniform favours the first
	s := surnames[int(float64(len(surnames))*sq(rng.Float64()))]
	b := []rune{s, givenChars[rng.IntN(len(givenChars))]}
	if rng.IntN(3) != 0 {
		b = append(b, givenChars[rng.IntN(len(givenChars))])
	}
	return string(b)
}

// mobilePrefixes are the first three digits of Chinese mobile numbers.
var mobilePrefixes = []string{"130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "177", "180", "181", "186", "187", "188", "189", "199"}

// Phone draws a synthetic 11-digit mobile number (138xxxxxxxx).
func Phone(rng *rand.Rand) string {
	b := make([]byte, 0, 11)
	b = append(b, mobilePrefixes[rng.IntN(len(mobilePrefixes))]...)
	tail := strconv.AppendInt(nil, int64(rng.IntN(1e8)), 10)
	for range 8 - len(tail) {
		b = append(b, '0')
	}
	return string(append(b, tail...))
}

func sq(x float64) float64 { return x * x }
