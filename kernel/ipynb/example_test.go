package ipynb_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/dlnb/dlnb/kernel/ipynb"
)

func ExampleRead() {
	const file = `{
 "nbformat": 4, "nbformat_minor": 5,
 "metadata": {"kernelspec": {"name": "gonb", "language": "go"}},
 "cells": [
  {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": ["# Hello\n", "A Go notebook."]},
  {"cell_type": "code", "id": "run", "metadata": {}, "execution_count": 1,
   "source": "fmt.Println(6 * 7)",
   "outputs": [{"output_type": "stream", "name": "stdout", "text": ["42\n"]}]}
 ]
}`
	nb, err := ipynb.Read(strings.NewReader(file), "hello.ipynb")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("language:", nb.Language())
	for _, c := range nb.Cells {
		fmt.Printf("%s cell %q: %q\n", c.CellType, c.ID, c.Source)
		for _, o := range c.Outputs {
			fmt.Printf("  %s %s: %q\n", o.OutputType, o.Name, o.Text)
		}
	}

	_, err = ipynb.Read(strings.NewReader(`{"cells": [}`), "broken.ipynb")
	fmt.Println(err)
	// Output:
	// language: go
	// markdown cell "intro": "# Hello\nA Go notebook."
	// code cell "run": "fmt.Println(6 * 7)"
	//   stream stdout: "42\n"
	// broken.ipynb: not a valid notebook: invalid JSON at line 1, column 12: invalid character '}' looking for beginning of value
}

func ExampleWrite() {
	nb := ipynb.New()
	count := 1
	nb.Cells = append(nb.Cells, &ipynb.Cell{
		ID:             "sum",
		CellType:       "code",
		Source:         "x := 1 + 2\nx",
		ExecutionCount: &count,
		Outputs: []*ipynb.Output{{
			OutputType:     "execute_result",
			ExecutionCount: &count,
			Data:           map[string]any{"text/plain": "3"},
		}},
	})
	if err := ipynb.Write(os.Stdout, nb); err != nil {
		log.Fatal(err)
	}
	// Output:
	// {
	//  "cells": [
	//   {
	//    "cell_type": "code",
	//    "execution_count": 1,
	//    "id": "sum",
	//    "metadata": {},
	//    "outputs": [
	//     {
	//      "data": {
	//       "text/plain": [
	//        "3"
	//       ]
	//      },
	//      "execution_count": 1,
	//      "metadata": {},
	//      "output_type": "execute_result"
	//     }
	//    ],
	//    "source": [
	//     "x := 1 + 2\n",
	//     "x"
	//    ]
	//   }
	//  ],
	//  "metadata": {},
	//  "nbformat": 4,
	//  "nbformat_minor": 5
	// }
}
