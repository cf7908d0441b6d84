# The sigmoid-network post's test.py, with only its import of simple_nn changed
# (its mnist_loader is the post's too; the test runs it in a directory holding a small mnist.pkl.gz).
from fastscratch.nets import simple_nn
import mnist_loader
training_data, validation_data, test_data = mnist_loader.load_data_together()

net = simple_nn.Network([784, 30, 10])
net.SGD(training_data, 10, 10, 3.0, test_data=test_data)
