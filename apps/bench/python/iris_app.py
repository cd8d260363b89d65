"""FastAPI + uvicorn baseline: the iris model served the FastAPI way, computed with numpy from
the ONNX file's own weights (written by the benchmark to IRIS_WEIGHTS)."""
import json
import os
from typing import Dict, List, Optional

import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

weights = {name: np.asarray(values, dtype=np.float32) for name, values in json.load(open(os.environ["IRIS_WEIGHTS"])).items()}
mean, std = weights["mean"], weights["std"]
layers = [(weights[f"net.{i}.weight"].reshape(-1, 4 if i == 0 else 16), weights[f"net.{i}.bias"]) for i in (0, 2, 4)]
labels = ["setosa", "versicolor", "virginica"]


class Tensor(BaseModel):
    dtype: str
    dims: List[int] = Field(min_items=1, max_items=8)
    data: List[float] = Field(max_items=1_000_000)


class PredictInput(BaseModel):
    model: Optional[str] = None
    inputs: Dict[str, Tensor]
    topK: int = Field(5, ge=1, le=100)


app = FastAPI()


@app.post("/predict")
async def predict(body: PredictInput):
    features = body.inputs.get("features")
    if features is None or features.dtype != "float32" or len(features.dims) != 2 or features.dims[1] != 4:
        raise HTTPException(status_code=400, detail="features must be float32 [batch, 4]")
    if features.dims[0] * 4 != len(features.data):
        raise HTTPException(status_code=400, detail="data length must equal the product of dims")
    hidden = (np.asarray(features.data, dtype=np.float32).reshape(features.dims) - mean) / std
    for index, (weight, bias) in enumerate(layers):
        hidden = hidden @ weight.T + bias
        if index < 2:
            hidden = np.maximum(hidden, 0)
    exponent = np.exp(hidden - hidden.max(axis=1, keepdims=True))
    probabilities = exponent / exponent.sum(axis=1, keepdims=True)
    label = probabilities.argmax(axis=1)
    rows = probabilities.shape[0]
    predictions = [
        sorted(({"label": labels[c], "confidence": float(p)} for c, p in enumerate(row)), key=lambda x: -x["confidence"])[: body.topK]
        for row in probabilities
    ]
    return {
        "model": body.model or "iris",
        "version": "1",
        "outputs": {
            "probabilities": {"dtype": "float32", "dims": [rows, 3], "data": probabilities.ravel().tolist()},
            "label": {"dtype": "int64", "dims": [rows], "data": label.tolist()},
        },
        "predictions": predictions,
    }
